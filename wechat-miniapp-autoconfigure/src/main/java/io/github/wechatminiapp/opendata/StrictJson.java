package io.github.wechatminiapp.opendata;

import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadContext;
import tools.jackson.core.json.UTF8StreamJsonParser;
import tools.jackson.core.sym.ByteQuadsCanonicalizer;

/**
 * Jackson's UTF-8 parser with a duplicate check of our own: every object, at any depth,
 * must not name a property twice. Jackson's own check
 * ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}) builds a {@code HashSet} for
 * every object of more than two names, most of the cost of reading a phone number; the
 * few names of WeChat's payloads are compared by hand instead, and a set is built only
 * for an object of more than {@link Names#FEW} names. The check sits in the parser's
 * context, which sees every name whoever reads the tokens (our readers, a skip, a copy
 * for an application's type).
 * <p>
 * Bytes are read as UTF-8, as JSON exchanged between systems must be: no other encoding
 * is guessed from the first bytes. Ours, not the application's: leniency the application
 * may have enabled (comments, single quotes) does not reach it.
 */
final class StrictJson {

	private static final Factory FACTORY = new Factory();

	private StrictJson() {
	}

	/**
	 * A parser of the bytes.
	 * @param json the bytes, UTF-8
	 * @return a parser that throws {@link DuplicateNameException} for a name twice in an
	 * object
	 */
	static JsonParser parser(byte[] json) {
		return FACTORY.createParser(ObjectReadContext.empty(), json);
	}

	/** Jackson's factory, defaults only, making our parser. */
	private static final class Factory extends JsonFactory {

		private static final long serialVersionUID = 1L;

		Factory() {
			super(JsonFactory.builder());
		}

		@Override
		protected JsonParser _createParser(ObjectReadContext readContext, IOContext ioContext, byte[] data, int offset,
				int length) {
			_checkRangeBoundsForByteArray(data, offset, length);
			this._streamReadConstraints.validateDocumentLength(length);
			return new Parser(readContext, ioContext, readContext.getStreamReadFeatures(this._streamReadFeatures),
					readContext.getFormatReadFeatures(this._formatReadFeatures),
					this._byteSymbolCanonicalizer.makeChild(this._factoryFeatures), data, offset, offset + length);
		}

	}

	/** Jackson's UTF-8 parser, on our contexts. */
	private static final class Parser extends UTF8StreamJsonParser {

		Parser(ObjectReadContext readContext, IOContext ioContext, int streamReadFeatures, int formatReadFeatures,
				ByteQuadsCanonicalizer names, byte[] data, int start, int end) {
			super(readContext, ioContext, streamReadFeatures, formatReadFeatures, null, names, data, start, end, 0,
					false);
			this._streamReadContext = new Names(null, 0, JsonReadContext.TYPE_ROOT, 1, 0);
		}

	}

	/**
	 * The names of one object so far; a context per depth, reused by the objects and
	 * arrays that follow one another there.
	 */
	private static final class Names extends JsonReadContext {

		/** Names compared by hand; an object with more gets a set. */
		static final int FEW = 8;

		private String @Nullable [] few;

		private int count;

		private @Nullable Set<String> many;

		Names(@Nullable Names parent, int nestingDepth, int type, int lineNr, int columnNr) {
			super(parent, nestingDepth, null, type, lineNr, columnNr);
		}

		@Override
		public JsonReadContext createChildArrayContext(int lineNr, int columnNr) {
			return child(TYPE_ARRAY, lineNr, columnNr);
		}

		@Override
		public JsonReadContext createChildObjectContext(int lineNr, int columnNr) {
			return child(TYPE_OBJECT, lineNr, columnNr);
		}

		private Names child(int type, int lineNr, int columnNr) {
			Names child = (Names) this._child;
			if (child == null) {
				child = new Names(this, this._nestingDepth + 1, type, lineNr, columnNr);
				this._child = child;
				return child;
			}
			child.reset(type, lineNr, columnNr);
			return child;
		}

		@Override
		public JsonReadContext reset(int type, int lineNr, int columnNr) {
			this.count = 0;
			this.many = null;
			return super.reset(type, lineNr, columnNr);
		}

		@Override
		public void setCurrentName(String name) throws StreamReadException {
			if (seen(name)) {
				throw new DuplicateNameException();
			}
			super.setCurrentName(name);
		}

		/**
		 * Remembers the name.
		 * @param name a name of this object
		 * @return whether this object named it before
		 */
		private boolean seen(String name) {
			Set<String> set = this.many;
			if (set != null) {
				return !set.add(name);
			}
			String[] names = this.few;
			if (names == null) {
				names = new String[FEW];
				this.few = names;
			}
			for (int i = 0; i < this.count; i++) {
				if (names[i].equals(name)) {
					return true;
				}
			}
			if (this.count < FEW) {
				names[this.count++] = name;
				return false;
			}
			set = new HashSet<>();
			for (String seen : names) {
				set.add(seen);
			}
			set.add(name);
			this.many = set;
			return false;
		}

	}

	/**
	 * A name twice in one object: JSON, but ambiguous. Without a stack trace, like every
	 * refusal.
	 */
	static final class DuplicateNameException extends StreamReadException {

		private static final long serialVersionUID = 1L;

		DuplicateNameException() {
			super(null, "Duplicate Object property");
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
