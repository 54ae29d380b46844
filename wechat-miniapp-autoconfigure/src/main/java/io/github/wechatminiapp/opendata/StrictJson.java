package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * A strict streaming reader of one JSON document (RFC 8259) in UTF-8 bytes, the one every
 * open-data payload is read with. Strict: the grammar and nothing more (no comments,
 * single quotes, leading zeros, trailing commas, control characters in strings, or
 * another encoding guessed from the first bytes), UTF-8 without overlong forms or
 * surrogates, escapes whose surrogates pair, no name twice in any object at any depth, at
 * most {@value #MAX_DEPTH} levels deep, numbers of at most {@value #MAX_NUMBER_LENGTH}
 * characters, and nothing after the document but whitespace. Every byte is checked
 * whether or not its value is read: a skipped value is checked as strictly as a read one.
 * <p>
 * Written for WeChat's few small payloads, on the decryption path of every request that
 * carries one: names are compared as they are read without a symbol table, the names of
 * WeChat's payloads are handed out as constants, and a whole number is read from the
 * bytes without a string.
 * <p>
 * Refusals are {@link OpenDataException}s: {@link Reason#BAD_PADDING} for bytes that are
 * not JSON (what a key that does not fit makes of the data), and
 * {@link Reason#INVALID_PAYLOAD} for JSON that is ambiguous or too large: a name twice,
 * too deep, or something after the document.
 */
public final class StrictJson {

	/** Levels of objects and arrays; WeChat's payloads have three. */
	public static final int MAX_DEPTH = 64;

	/** The longest number, in characters, as Jackson's default. */
	public static final int MAX_NUMBER_LENGTH = 1000;

	/**
	 * The bytes a string holds as they are: printable ASCII but the quote and the
	 * backslash.
	 */
	private static final boolean[] PLAIN = new boolean[256];

	static {
		for (int b = 0x20; b < 0x7f; b++) {
			PLAIN[b] = b != '"' && b != '\\';
		}
	}

	/** Names of one object compared one by one; an object with more gets a set. */
	private static final int FEW_NAMES = 8;

	private static final int ROOT = 0;

	private static final int MEMBER_VALUE = 1;

	private static final int OBJECT_FIRST = 2;

	private static final int OBJECT_NEXT = 3;

	private static final int ARRAY_FIRST = 4;

	private static final int ARRAY_NEXT = 5;

	private static final int DONE = 6;

	/** What a value of the document is. */
	public enum Token {

		/** <code>{</code>. */
		START_OBJECT,

		/** <code>}</code>. */
		END_OBJECT,

		/** {@code [}. */
		START_ARRAY,

		/** {@code ]}. */
		END_ARRAY,

		/** A name of an object, see {@link StrictJson#name()}. */
		NAME,

		/** A string, see {@link StrictJson#string()}. */
		STRING,

		/**
		 * A number, see {@link StrictJson#string()} and {@link StrictJson#longValue()}.
		 */
		NUMBER,

		/** {@code true}. */
		TRUE,

		/** {@code false}. */
		FALSE,

		/** {@code null}. */
		NULL

	}

	private final byte[] bytes;

	private final int end;

	private int position;

	private int state = ROOT;

	private @Nullable Token token;

	/** Objects and arrays open around the current token. */
	private int depth;

	/** Bit {@code d} set: the container at depth {@code d} is an object. */
	private long objects;

	/** The current string's, name's or number's bytes, without quotes. */
	private int start;

	private int length;

	private boolean escaped;

	private boolean integral;

	/** The current number's value, when {@link #exact}. */
	private long wholeValue;

	/** Whether {@link #wholeValue} is the current number's. */
	private boolean exact;

	/** Where the current value starts. */
	private int tokenStart;

	private @Nullable String name;

	/** The names of the objects open, the outer ones first. */
	private String[] names = new String[8];

	private int nameCount;

	/** Where each open object's names start in {@link #names}. */
	private int[] firstName = new int[4];

	/** The names of an open object with more than {@link #FEW_NAMES}, by depth. */
	private @Nullable Set<String> @Nullable [] manyNames;

	StrictJson(byte[] bytes) {
		this(bytes, 0, bytes.length);
	}

	/**
	 * A reader of one value within bytes.
	 * @param bytes the bytes
	 * @param from where the value starts
	 * @param to where it ends, exclusive
	 */
	StrictJson(byte[] bytes, int from, int to) {
		this.bytes = bytes;
		this.position = from;
		this.end = to;
	}

	/**
	 * Reads the next token.
	 * @return the token, or {@code null} at the end of the document
	 * @throws OpenDataException for bytes that are not JSON or JSON that is refused
	 */
	public @Nullable Token next() {
		int next = skipWhitespace();
		switch (this.state) {
			case ROOT, MEMBER_VALUE -> {
				return value(next);
			}
			case OBJECT_FIRST -> {
				return (next == '}') ? endObject() : name(next);
			}
			case OBJECT_NEXT -> {
				if (next == '}') {
					return endObject();
				}
				expect(next, ',');
				return name(skipWhitespace());
			}
			case ARRAY_FIRST -> {
				return (next == ']') ? endArray() : value(next);
			}
			case ARRAY_NEXT -> {
				if (next == ']') {
					return endArray();
				}
				expect(next, ',');
				return value(skipWhitespace());
			}
			default -> {
				if (next >= 0) {
					// The document is over: more is not one document.
					throw new OpenDataException(Reason.INVALID_PAYLOAD);
				}
				this.token = null;
				return null;
			}
		}
	}

	/**
	 * The token read last.
	 * @return the token, {@code null} before the first and after the last
	 */
	public @Nullable Token token() {
		return this.token;
	}

	/**
	 * The name read last.
	 * @return the name of the current or the last {@link Token#NAME}
	 * @throws IllegalStateException before any name
	 */
	public String name() {
		if (this.name == null) {
			throw new IllegalStateException("No name read");
		}
		return this.name;
	}

	/**
	 * The text of the current value.
	 * @return a string's value, a number's text, {@code true} or {@code false};
	 * {@code null} for {@code null}
	 * @throws IllegalStateException on an object, an array or a name
	 */
	public @Nullable String string() {
		Token current = this.token;
		if (current == Token.STRING) {
			return this.escaped ? unescaped() : new String(this.bytes, this.start, this.length, StandardCharsets.UTF_8);
		}
		if (current == Token.NUMBER) {
			return numberText();
		}
		if (current == Token.TRUE || current == Token.FALSE) {
			return (current == Token.TRUE) ? "true" : "false";
		}
		if (current == Token.NULL) {
			return null;
		}
		throw new IllegalStateException("Not a value: " + current);
	}

	/**
	 * Whether the current value is a whole number.
	 * @return {@code true} for a number without fraction or exponent
	 */
	public boolean isIntegral() {
		return this.token == Token.NUMBER && this.integral;
	}

	/**
	 * Whether the current value is a whole number that fits a {@code long}.
	 * @return {@code true} for a number without fraction or exponent within the range of
	 * a {@code long}
	 */
	public boolean isLong() {
		return isIntegral() && (this.exact || longOfText() != null);
	}

	/**
	 * The current value as a {@code long}.
	 * @return the number
	 * @throws IllegalStateException unless {@link #isLong()}
	 */
	public long longValue() {
		Long value = isIntegral() ? (this.exact ? Long.valueOf(this.wholeValue) : longOfText()) : null;
		if (value == null) {
			throw new IllegalStateException("Not a long: " + this.token);
		}
		return value;
	}

	/**
	 * Reads a whole number of 19 digits or more, rare enough to parse as text.
	 * @return the number, or {@code null} when it does not fit a {@code long}
	 */
	private @Nullable Long longOfText() {
		try {
			return Long.parseLong(numberText());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private String numberText() {
		return new String(this.bytes, this.start, this.length, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Skips the current value's children: on {@link Token#START_OBJECT} or
	 * {@link Token#START_ARRAY}, reads (and checks) up to the matching end; on any other
	 * token, does nothing.
	 * @throws OpenDataException for bytes that are not JSON or JSON that is refused
	 */
	public void skipChildren() {
		if (this.token != Token.START_OBJECT && this.token != Token.START_ARRAY) {
			return;
		}
		int outer = this.depth - 1;
		Token next;
		do {
			next = next();
		}
		while (this.depth != outer || (next != Token.END_OBJECT && next != Token.END_ARRAY));
	}

	/**
	 * How deep the current token is.
	 * @return the objects and arrays open around it
	 */
	int depth() {
		return this.depth;
	}

	/**
	 * Where the next byte to read is.
	 * @return the offset in the bytes
	 */
	int position() {
		return this.position;
	}

	/**
	 * Where the current value starts: the opening quote of a string, the first character
	 * of anything else.
	 * @return the offset in the bytes
	 */
	int tokenStart() {
		return this.tokenStart;
	}

	private Token value(int next) {
		this.tokenStart = this.position;
		switch (next) {
			case '{' -> {
				this.position++;
				open(true);
				this.state = OBJECT_FIRST;
				return current(Token.START_OBJECT);
			}
			case '[' -> {
				this.position++;
				open(false);
				this.state = ARRAY_FIRST;
				return current(Token.START_ARRAY);
			}
			case '"' -> {
				readString();
				return valueRead(Token.STRING);
			}
			case 't' -> {
				literal("true");
				return valueRead(Token.TRUE);
			}
			case 'f' -> {
				literal("false");
				return valueRead(Token.FALSE);
			}
			case 'n' -> {
				literal("null");
				return valueRead(Token.NULL);
			}
			default -> {
				number(next);
				return valueRead(Token.NUMBER);
			}
		}
	}

	private Token current(Token read) {
		this.token = read;
		return read;
	}

	private Token valueRead(Token value) {
		afterValue();
		return current(value);
	}

	private void afterValue() {
		if (this.depth == 0) {
			this.state = DONE;
		}
		else {
			this.state = ((this.objects & (1L << this.depth)) != 0) ? OBJECT_NEXT : ARRAY_NEXT;
		}
	}

	private void open(boolean object) {
		if (this.depth == MAX_DEPTH) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		this.depth++;
		if (object) {
			this.objects |= 1L << this.depth;
			if (this.depth >= this.firstName.length) {
				// Arrays open levels without names: the depth may have passed the length.
				this.firstName = Arrays.copyOf(this.firstName, this.depth * 2);
			}
			this.firstName[this.depth] = this.nameCount;
		}
		else {
			this.objects &= ~(1L << this.depth);
		}
	}

	private Token endObject() {
		this.position++;
		this.nameCount = this.firstName[this.depth];
		if (this.manyNames != null) {
			this.manyNames[this.depth] = null;
		}
		this.depth--;
		afterValue();
		return current(Token.END_OBJECT);
	}

	private Token endArray() {
		this.position++;
		this.depth--;
		afterValue();
		return current(Token.END_ARRAY);
	}

	private Token name(int next) {
		if (next != '"') {
			throw notJson();
		}
		readString();
		String read = this.escaped ? unescaped() : KnownNames.find(this.bytes, this.start, this.length);
		if (read == null) {
			read = new String(this.bytes, this.start, this.length, StandardCharsets.UTF_8);
		}
		remember(read);
		expect(skipWhitespace(), ':');
		this.name = read;
		this.state = MEMBER_VALUE;
		return current(Token.NAME);
	}

	/**
	 * Adds a name to the current object's, refusing one it has already.
	 * @param read the name
	 */
	private void remember(String read) {
		Set<String> many = (this.manyNames != null) ? this.manyNames[this.depth] : null;
		if (many != null) {
			if (!many.add(read)) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
			return;
		}
		int first = this.firstName[this.depth];
		for (int i = first; i < this.nameCount; i++) {
			if (this.names[i].equals(read)) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
		}
		if (this.nameCount - first == FEW_NAMES) {
			many = new HashSet<>(Arrays.asList(this.names).subList(first, this.nameCount));
			many.add(read);
			manyNames()[this.depth] = many;
			return;
		}
		if (this.nameCount == this.names.length) {
			this.names = Arrays.copyOf(this.names, this.nameCount * 2);
		}
		this.names[this.nameCount++] = read;
	}

	@SuppressWarnings("unchecked")
	private @Nullable Set<String>[] manyNames() {
		if (this.manyNames == null) {
			this.manyNames = new Set[MAX_DEPTH + 1];
		}
		return this.manyNames;
	}

	/**
	 * Reads a string from its opening quote, checking its UTF-8 and its escapes, and
	 * records where its content is.
	 */
	private void readString() {
		byte[] in = this.bytes;
		int stop = this.end;
		int i = this.position + 1;
		this.start = i;
		boolean sawEscape = false;
		while (true) {
			// The common case first: printable ASCII.
			while (i < stop && PLAIN[in[i] & 0xff]) {
				i++;
			}
			if (i == stop) {
				throw notJson();
			}
			byte b = in[i];
			if (b == '"') {
				break;
			}
			if (b == '\\') {
				sawEscape = true;
				i = escape(i + 1);
			}
			else if (b >= 0) {
				// A control character must be escaped.
				throw notJson();
			}
			else {
				i = utf8(i);
			}
		}
		this.length = i - this.start;
		this.escaped = sawEscape;
		this.position = i + 1;
	}

	/**
	 * Checks one escape.
	 * @param at the character after the backslash
	 * @return where the escape ends
	 */
	private int escape(int at) {
		if (at == this.end) {
			throw notJson();
		}
		switch (this.bytes[at]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
				return at + 1;
			}
			case 'u' -> {
				int unit = hex4(at + 1);
				if (Character.isLowSurrogate((char) unit)) {
					throw notJson();
				}
				if (!Character.isHighSurrogate((char) unit)) {
					return at + 5;
				}
				// A high surrogate must be followed by its low one, escaped too.
				if (at + 6 >= this.end || this.bytes[at + 5] != '\\' || this.bytes[at + 6] != 'u'
						|| !Character.isLowSurrogate((char) hex4(at + 7))) {
					throw notJson();
				}
				return at + 11;
			}
			default -> throw notJson();
		}
	}

	private int hex4(int at) {
		if (at + 4 > this.end) {
			throw notJson();
		}
		int value = 0;
		for (int i = at; i < at + 4; i++) {
			int digit = Character.digit(this.bytes[i], 16);
			if (digit < 0) {
				throw notJson();
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	/**
	 * Checks one UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no
	 * surrogates, nothing above U+10FFFF).
	 * @param at its first byte
	 * @return where it ends
	 */
	private int utf8(int at) {
		int lead = this.bytes[at] & 0xff;
		int count;
		int min = 0x80;
		int max = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) {
			count = 1;
		}
		else if (lead >= 0xe0 && lead <= 0xef) {
			count = 2;
			if (lead == 0xe0) {
				min = 0xa0;
			}
			else if (lead == 0xed) {
				max = 0x9f;
			}
		}
		else if (lead >= 0xf0 && lead <= 0xf4) {
			count = 3;
			if (lead == 0xf0) {
				min = 0x90;
			}
			else if (lead == 0xf4) {
				max = 0x8f;
			}
		}
		else {
			throw notJson();
		}
		if (at + count >= this.end) {
			throw notJson();
		}
		int second = this.bytes[at + 1] & 0xff;
		if (second < min || second > max) {
			throw notJson();
		}
		for (int i = at + 2; i <= at + count; i++) {
			if ((this.bytes[i] & 0xc0) != 0x80) {
				throw notJson();
			}
		}
		return at + count + 1;
	}

	/**
	 * The current string with its escapes undone; it was checked when read.
	 * @return the string's value
	 */
	private String unescaped() {
		StringBuilder text = new StringBuilder(this.length);
		int run = this.start;
		int i = this.start;
		int stop = this.start + this.length;
		while (i < stop) {
			if (this.bytes[i] != '\\') {
				i++;
				continue;
			}
			text.append(new String(this.bytes, run, i - run, StandardCharsets.UTF_8));
			byte escape = this.bytes[i + 1];
			switch (escape) {
				case 'b' -> text.append('\b');
				case 'f' -> text.append('\f');
				case 'n' -> text.append('\n');
				case 'r' -> text.append('\r');
				case 't' -> text.append('\t');
				case 'u' -> {
					text.append((char) hex4(i + 2));
					i += 4;
				}
				default -> text.append((char) escape);
			}
			i += 2;
			run = i;
		}
		return text.append(new String(this.bytes, run, stop - run, StandardCharsets.UTF_8)).toString();
	}

	/**
	 * Reads a number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}.
	 * @param first its first byte
	 */
	private void number(int first) {
		int i = this.position;
		this.start = i;
		if (first == '-') {
			i++;
		}
		byte[] in = this.bytes;
		int stop = this.end;
		int from = i;
		long value = 0;
		// Summed negative, so that Long.MIN_VALUE fits; exact up to 18 digits.
		while (i < stop && in[i] >= '0' && in[i] <= '9') {
			value = value * 10 - (in[i] - '0');
			i++;
		}
		int digits = i - from;
		if (digits == 0 || (digits > 1 && in[from] == '0')) {
			throw notJson();
		}
		this.wholeValue = (first == '-') ? value : -value;
		boolean whole = true;
		if (i < this.end && this.bytes[i] == '.') {
			whole = false;
			int fraction = digits(i + 1);
			if (fraction == 0) {
				throw notJson();
			}
			i += 1 + fraction;
		}
		if (i < this.end && (this.bytes[i] == 'e' || this.bytes[i] == 'E')) {
			whole = false;
			i++;
			if (i < this.end && (this.bytes[i] == '+' || this.bytes[i] == '-')) {
				i++;
			}
			int exponent = digits(i);
			if (exponent == 0) {
				throw notJson();
			}
			i += exponent;
		}
		if (i - this.start > MAX_NUMBER_LENGTH) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		this.length = i - this.start;
		this.integral = whole;
		this.exact = whole && digits <= 18;
		this.position = i;
	}

	private int digits(int from) {
		int i = from;
		while (i < this.end && this.bytes[i] >= '0' && this.bytes[i] <= '9') {
			i++;
		}
		return i - from;
	}

	private void literal(String text) {
		int length = text.length();
		if (this.position + length > this.end) {
			throw notJson();
		}
		for (int i = 0; i < length; i++) {
			if (this.bytes[this.position + i] != text.charAt(i)) {
				throw notJson();
			}
		}
		this.position += length;
	}

	private void expect(int next, char expected) {
		if (next != expected) {
			throw notJson();
		}
		this.position++;
	}

	/**
	 * Skips JSON's four whitespace characters.
	 * @return the byte after them, unsigned, or -1 at the end
	 */
	private int skipWhitespace() {
		int i = this.position;
		if (i < this.end && this.bytes[i] > ' ') {
			// Compact JSON, WeChat's: no whitespace at all.
			return this.bytes[i];
		}
		while (i < this.end) {
			byte b = this.bytes[i];
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				this.position = i;
				return b & 0xff;
			}
			i++;
		}
		this.position = i;
		return -1;
	}

	private static OpenDataException notJson() {
		return new OpenDataException(Reason.BAD_PADDING);
	}

	/**
	 * The names of WeChat's payloads, handed out as constants: the same instance every
	 * time, found without a string made.
	 */
	static final class KnownNames {

		private static final String[] NAMES = { "phoneNumber", "purePhoneNumber", "countryCode", "watermark",
				"timestamp", "appid", "stepInfoList", "step", "openGId", "opengid", "open_single_roomid",
				"group_openid", "chat_type", "openId", "nickName", "gender", "language", "city", "province", "country",
				"avatarUrl", "unionId" };

		private static final int SLOTS = 64;

		private static final String[] TABLE = new String[SLOTS];

		private static final byte[][] BYTES = new byte[SLOTS][];

		static {
			for (String known : NAMES) {
				byte[] ascii = known.getBytes(StandardCharsets.US_ASCII);
				int slot = hash(ascii, 0, ascii.length);
				while (TABLE[slot] != null) {
					slot = (slot + 1) & (SLOTS - 1);
				}
				TABLE[slot] = known;
				BYTES[slot] = ascii;
			}
		}

		private KnownNames() {
		}

		/**
		 * The constant for a name.
		 * @param bytes the bytes holding the name, unescaped
		 * @param from where it starts
		 * @param length its length in bytes
		 * @return the constant, or {@code null} for a name not of WeChat's payloads
		 */
		static @Nullable String find(byte[] bytes, int from, int length) {
			if (length == 0) {
				return null;
			}
			int slot = hash(bytes, from, length);
			String known;
			while ((known = TABLE[slot]) != null) {
				if (same(BYTES[slot], bytes, from, length)) {
					return known;
				}
				slot = (slot + 1) & (SLOTS - 1);
			}
			return null;
		}

		private static boolean same(byte[] known, byte[] bytes, int from, int length) {
			if (known.length != length) {
				return false;
			}
			for (int i = 0; i < length; i++) {
				if (known[i] != bytes[from + i]) {
					return false;
				}
			}
			return true;
		}

		private static int hash(byte[] bytes, int from, int length) {
			return (length * 7 + bytes[from] * 31 + bytes[from + length - 1]) & (SLOTS - 1);
		}

	}

}
