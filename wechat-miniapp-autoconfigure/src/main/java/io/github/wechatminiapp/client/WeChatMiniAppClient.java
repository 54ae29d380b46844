package io.github.wechatminiapp.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.client.WeChatApiException.Category;
import io.github.wechatminiapp.client.WeChatCommunicationException.Kind;
import io.github.wechatminiapp.crypto.Watermark;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The WeChat Mini Program server API over HTTP. Reads every answer as JSON whatever its
 * content type (WeChat sends {@code text/plain} at times), turns a non-zero
 * {@code errcode} into a {@link WeChatApiException}, retries "system busy" with bounded
 * backoff where resending is safe, and never sends a login code twice. Nothing it throws
 * or logs contains the app secret, an access token or a session key.
 */
public class WeChatMiniAppClient {

	private static final Log logger = LogFactory.getLog(WeChatMiniAppClient.class);

	/** Largest answer read from WeChat; its real answers are a few hundred bytes. */
	static final int MAX_RESPONSE_BYTES = 64 * 1024;

	/**
	 * Largest binary answer read ({@link #postForBytes}): a mini program code image is a
	 * few hundred KiB.
	 */
	public static final int MAX_BINARY_RESPONSE_BYTES = 4 * 1024 * 1024;

	/** The path of a server API: no query, no scheme, no way out of the API base URL. */
	private static final Pattern API_PATH = Pattern.compile("/[A-Za-z0-9_./-]{1,200}");

	/** Codes from wx.login and the phone button are short visible ASCII strings. */
	private static final Pattern CODE = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PHONE_NUMBER_PATH = "/wxa/business/getuserphonenumber";

	/** The name of the observation of each WeChat API call. */
	public static final String OBSERVATION_NAME = "wechat.miniapp.api";

	private final RestClient restClient;

	private final String appId;

	private final String appSecret;

	private final RetrySettings retry;

	private final ObservationRegistry observationRegistry;

	/** Null unless the app is in WeChat's API security mode. */
	private final WeChatApiSecurity apiSecurity;

	/**
	 * Creates a client without observations.
	 * @param restClient a client whose base URL is the WeChat API base URL
	 * @param appId the app id
	 * @param appSecret the app secret
	 * @param retry how busy answers are retried
	 */
	public WeChatMiniAppClient(RestClient restClient, String appId, String appSecret, RetrySettings retry) {
		this(restClient, appId, appSecret, retry, ObservationRegistry.NOOP);
	}

	/**
	 * Creates a client that observes each API call as {@code wechat.miniapp.api}, with
	 * the low-cardinality keys {@code api}, {@code errcode} and {@code outcome}; nothing
	 * about the user.
	 * @param restClient a client whose base URL is the WeChat API base URL
	 * @param appId the app id
	 * @param appSecret the app secret
	 * @param retry how busy answers are retried
	 * @param observationRegistry where observations go
	 */
	public WeChatMiniAppClient(RestClient restClient, String appId, String appSecret, RetrySettings retry,
			ObservationRegistry observationRegistry) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(observationRegistry, "observationRegistry must not be null");
		this.observationRegistry = observationRegistry;
		Assert.hasText(appId, "appId must not be empty");
		Assert.hasText(appSecret, "appSecret must not be empty");
		Assert.notNull(retry, "retry must not be null");
		this.restClient = restClient;
		this.appId = appId;
		this.appSecret = appSecret;
		this.retry = retry;
		this.apiSecurity = null;
	}

	private WeChatMiniAppClient(WeChatMiniAppClient client, WeChatApiSecurity apiSecurity) {
		this.restClient = client.restClient;
		this.appId = client.appId;
		this.appSecret = client.appSecret;
		this.retry = client.retry;
		this.observationRegistry = client.observationRegistry;
		this.apiSecurity = apiSecurity;
	}

	/**
	 * This client in WeChat's API security mode: the phone-number exchange is then
	 * sealed, signed and verified by {@code apiSecurity}, and an answer that fails its
	 * checks is refused, never read as plaintext.
	 * @param apiSecurity this app's keys
	 * @return a client for the same app in API security mode
	 */
	public WeChatMiniAppClient withApiSecurity(WeChatApiSecurity apiSecurity) {
		Assert.notNull(apiSecurity, "apiSecurity must not be null");
		Assert.isTrue(apiSecurity.appId().equals(this.appId), "apiSecurity must be for app " + this.appId);
		return new WeChatMiniAppClient(this, apiSecurity);
	}

	/**
	 * A client for another app over the same HTTP client, retry settings and
	 * observations: a few fields, no connection pool or thread of its own, so any number
	 * of apps share one HTTP client.
	 * @param appId the other app's id
	 * @param appSecret the other app's secret
	 * @return a client calling WeChat as that app
	 */
	public WeChatMiniAppClient withCredentials(String appId, String appSecret) {
		return new WeChatMiniAppClient(this.restClient, appId, appSecret, this.retry, this.observationRegistry);
	}

	/**
	 * The app id this client calls WeChat for.
	 * @return the app id
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * Exchanges a {@code wx.login} code: {@code GET /sns/jscode2session}. Sent once,
	 * never retried.
	 * @param jsCode the code from {@code wx.login}
	 * @return the openid, unionid and session key
	 * @throws WeChatApiException if WeChat refuses the code
	 */
	public Code2Session code2Session(String jsCode) {
		requireCode(jsCode, "js_code");
		JsonNode body = call(WeChatApi.JSCODE2SESSION, (client) -> client.get()
			.uri("/sns/jscode2session?appid={appid}&secret={secret}&js_code={code}&grant_type=authorization_code",
					this.appId, this.appSecret, jsCode),
				jsCode);
		return code2Session(WeChatApi.JSCODE2SESSION, body);
	}

	/**
	 * Fetches a new access token: {@code GET /cgi-bin/token}. Each call invalidates the
	 * previous token of this endpoint, so prefer
	 * {@link #fetchStableAccessToken(boolean)}.
	 * @return the token
	 */
	public AccessToken fetchAccessToken() {
		JsonNode body = call(WeChatApi.TOKEN,
				(client) -> client.get()
					.uri("/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}", this.appId,
							this.appSecret));
		return accessToken(WeChatApi.TOKEN, body);
	}

	/**
	 * Fetches the stable access token: {@code POST /cgi-bin/stable_token}, the same token
	 * for every caller while it is valid.
	 * @param forceRefresh whether to make WeChat issue a new token, invalidating the
	 * current one
	 * @return the token
	 */
	public AccessToken fetchStableAccessToken(boolean forceRefresh) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("grant_type", "client_credential");
		request.put("appid", this.appId);
		request.put("secret", this.appSecret);
		request.put("force_refresh", forceRefresh);
		byte[] json = JSON.writeValueAsBytes(request);
		JsonNode body = call(WeChatApi.STABLE_TOKEN,
				(client) -> client.post()
					.uri("/cgi-bin/stable_token")
					.contentType(MediaType.APPLICATION_JSON)
					.body(json));
		return accessToken(WeChatApi.STABLE_TOKEN, body);
	}

	/**
	 * Exchanges a one-time phone code: {@code POST /wxa/business/getuserphonenumber}.
	 * @param accessToken a valid access token
	 * @param phoneCode the {@code detail.code} of the getPhoneNumber button event
	 * @return the phone number and its watermark
	 */
	public PhoneInfo getUserPhoneNumber(String accessToken, String phoneCode) {
		requireCode(phoneCode, "phone code");
		return getUserPhoneNumber(accessToken, Map.of("code", phoneCode));
	}

	/**
	 * Exchanges a one-time phone code bound to its user:
	 * {@code POST /wxa/business/getuserphonenumber} with the {@code openid}, so WeChat
	 * refuses a code that belongs to someone else. WeChat documents no errcode for that
	 * refusal, so any refusal that is not about the token, WeChat's load or this server's
	 * configuration is the code refused: {@link Category#CLIENT}, whatever its errcode.
	 * @param accessToken a valid access token
	 * @param openid the user the code must belong to
	 * @param phoneCode the {@code detail.code} of the getPhoneNumber button event
	 * @return the phone number and its watermark
	 * @throws WeChatApiException of category {@link Category#CLIENT} if the code is
	 * refused, for instance because it belongs to another user
	 */
	public PhoneInfo getBoundUserPhoneNumber(String accessToken, String openid, String phoneCode) {
		requireCode(openid, "openid");
		requireCode(phoneCode, "phone code");
		try {
			return getUserPhoneNumber(accessToken, Map.of("code", phoneCode, "openid", openid));
		}
		catch (WeChatApiException ex) {
			if (ex.category() == Category.UNKNOWN || ex.errcode() == WeChatErrorCode.DATA_FORMAT_ERROR.code()) {
				throw new WeChatApiException(ex.api(), ex.errcode(), ex.errmsg(), Category.CLIENT);
			}
			throw ex;
		}
	}

	private PhoneInfo getUserPhoneNumber(String accessToken, Map<String, String> request) {
		byte[] json = JSON.writeValueAsBytes(request);
		JsonNode body = call(WeChatApi.GET_USER_PHONE_NUMBER,
				(this.apiSecurity != null) ? (client) -> sealedPost(client, PHONE_NUMBER_PATH, accessToken, request)
						: (client) -> client.post()
							.uri(PHONE_NUMBER_PATH + "?access_token={token}", accessToken)
							.contentType(MediaType.APPLICATION_JSON)
							.body(json),
				accessToken, request.get("code"));
		JsonNode info = body.path("phone_info");
		String purePhoneNumber = text(info, "purePhoneNumber");
		if (purePhoneNumber == null) {
			throw new WeChatCommunicationException(WeChatApi.GET_USER_PHONE_NUMBER, Kind.INVALID_ANSWER,
					"answer has no phone_info");
		}
		JsonNode watermark = info.path("watermark");
		Instant timestamp = watermark.path("timestamp").isNumber()
				? Instant.ofEpochSecond(watermark.path("timestamp").asLong()) : null;
		return new PhoneInfo(text(info, "phoneNumber"), purePhoneNumber, text(info, "countryCode"),
				new Watermark(text(watermark, "appid"), timestamp));
	}

	/**
	 * Asks whether a stored session key is still the user's current one:
	 * {@code GET /wxa/checksession}.
	 * @param accessToken a valid access token
	 * @param openid the user
	 * @param signature {@code OpenDataSignatures.sessionKeySignature(sessionKey)}
	 * @return true when WeChat accepts the signature, false when it answers 87009 (stale
	 * key)
	 */
	public boolean checkSessionKey(String accessToken, String openid, String signature) {
		requireCode(openid, "openid");
		try {
			call(WeChatApi.CHECK_SESSION,
					(client) -> client.get()
						.uri("/wxa/checksession?access_token={token}&openid={openid}&signature={signature}"
								+ "&sig_method=hmac_sha256", accessToken, openid, signature),
					accessToken, signature);
			return true;
		}
		catch (WeChatApiException ex) {
			if (ex.errcode() == WeChatErrorCode.INVALID_SIGNATURE.code()) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Asks WeChat to issue a new session key: {@code GET /wxa/resetusersessionkey}.
	 * @param accessToken a valid access token
	 * @param openid the user
	 * @param signature {@code OpenDataSignatures.sessionKeySignature(currentSessionKey)}
	 * @return the openid and the new session key
	 */
	public Code2Session resetUserSessionKey(String accessToken, String openid, String signature) {
		requireCode(openid, "openid");
		JsonNode body = call(
				WeChatApi.RESET_USER_SESSION_KEY, (
						client) -> client.get()
							.uri("/wxa/resetusersessionkey?access_token={token}&openid={openid}&signature={signature}"
									+ "&sig_method=hmac_sha256", accessToken, openid, signature),
				accessToken, signature);
		return code2Session(WeChatApi.RESET_USER_SESSION_KEY, body);
	}

	private RestClient.RequestHeadersSpec<?> sealedPost(RestClient client, String path, String accessToken,
			Map<String, String> request) {
		// Sealed per attempt: a retry carries a fresh timestamp and nonce.
		WeChatApiSecurity.SealedRequest sealed = this.apiSecurity.seal(path, request);
		return client.post()
			.uri(path + "?access_token={token}", accessToken)
			.contentType(MediaType.APPLICATION_JSON)
			.headers(sealed::applyTo)
			.body(sealed.body());
	}

	/**
	 * Calls any WeChat server API that takes the access token and a JSON body and answers
	 * JSON: {@code POST
	 * <path>?access_token=...}. Meant for {@code AccessTokenProvider.execute}, which
	 * fetches a new token and calls once more when WeChat rejects the token. Not retried
	 * when busy: the call may have taken effect.
	 * @param <T> the answer's type
	 * @param path the API's path, such as {@code /wxa/msg_sec_check}: letters, digits,
	 * {@code _ - . /} only
	 * @param accessToken a valid access token
	 * @param request the body, written as JSON
	 * @param responseType the type the answer is read into ({@code JsonNode} for the
	 * tree)
	 * @return the answer
	 * @throws WeChatApiException when WeChat answers a non-zero {@code errcode}
	 */
	public <T> T postForJson(String path, String accessToken, Object request, Class<T> responseType) {
		byte[] json = JSON.writeValueAsBytes(request);
		JsonNode body = call(WeChatApi.OTHER,
				(client) -> client.post()
					.uri(requirePath(path) + "?access_token={token}", accessToken)
					.contentType(MediaType.APPLICATION_JSON)
					.body(json),
				accessToken);
		return read(body, responseType);
	}

	/**
	 * Calls any WeChat server API that takes the access token in a {@code GET} and
	 * answers JSON.
	 * @param <T> the answer's type
	 * @param path the API's path: letters, digits, {@code _ - . /} only
	 * @param accessToken a valid access token
	 * @param query further query parameters, encoded here
	 * @param responseType the type the answer is read into
	 * @return the answer
	 * @throws WeChatApiException when WeChat answers a non-zero {@code errcode}
	 */
	public <T> T getForJson(String path, String accessToken, Map<String, String> query, Class<T> responseType) {
		String checked = requirePath(path);
		JsonNode body = call(WeChatApi.OTHER, (client) -> client.get().uri((uri) -> {
			uri.path(checked).queryParam("access_token", "{token}");
			query.keySet().forEach((name) -> uri.queryParam(name, "{" + name + "}"));
			Map<String, String> values = new LinkedHashMap<>(query);
			values.put("token", accessToken);
			return uri.build(values);
		}), accessToken);
		return read(body, responseType);
	}

	/**
	 * Calls a WeChat server API that answers bytes on success and JSON on error, such as
	 * {@code /wxa/getwxacodeunlimit} (a mini program code image):
	 * {@code POST <path>?access_token=...} with a JSON body. Answers of at most
	 * {@value #MAX_BINARY_RESPONSE_BYTES} bytes are read.
	 * @param path the API's path: letters, digits, {@code _ - . /} only
	 * @param accessToken a valid access token
	 * @param request the body, written as JSON
	 * @return the answer's bytes (an image for {@code getwxacodeunlimit})
	 * @throws WeChatApiException when WeChat answers JSON with a non-zero {@code errcode}
	 */
	public byte[] postForBytes(String path, String accessToken, Object request) {
		byte[] json = JSON.writeValueAsBytes(request);
		String checked = requirePath(path);
		return observed(WeChatApi.OTHER, () -> exchangeBytes(checked, accessToken, json));
	}

	private byte[] exchangeBytes(String path, String accessToken, byte[] json) {
		WeChatApi api = WeChatApi.OTHER;
		byte[] bytes;
		MediaType contentType;
		try {
			Object[] answer = this.restClient.post()
				.uri(path + "?access_token={token}", accessToken)
				.contentType(MediaType.APPLICATION_JSON)
				.body(json)
				.exchange((clientRequest, response) -> {
					if (!response.getStatusCode().is2xxSuccessful()) {
						throw new WeChatCommunicationException(api, Kind.HTTP_STATUS,
								"HTTP status " + response.getStatusCode().value());
					}
					return new Object[] { readBounded(api, response.getBody(), MAX_BINARY_RESPONSE_BYTES),
							response.getHeaders().getContentType() };
				});
			bytes = (byte[]) answer[0];
			contentType = (MediaType) answer[1];
		}
		catch (RestClientException ex) {
			Throwable cause = ex.getMostSpecificCause();
			String problem = (cause != ex) ? cause.getClass().getSimpleName() : "request failed";
			throw new WeChatCommunicationException(api, isTimeout(cause) ? Kind.TIMEOUT : Kind.IO_ERROR,
					"I/O error (" + problem + ")");
		}
		boolean textual = contentType == null || MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				|| MediaType.TEXT_PLAIN.isCompatibleWith(contentType);
		if (textual && bytes.length > 0 && bytes[0] == '{') {
			// WeChat answers errors as JSON, at times as text/plain, where the success is
			// an image.
			JsonNode body = parse(api, bytes);
			int errcode = body.path("errcode").asInt(0);
			if (errcode != 0) {
				throw new WeChatApiException(api, errcode, text(body, "errmsg"));
			}
		}
		if (bytes.length == 0) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER, "empty answer");
		}
		return bytes;
	}

	private static <T> T read(JsonNode body, Class<T> responseType) {
		try {
			return JSON.treeToValue(body, responseType);
		}
		catch (JacksonException ex) {
			throw new WeChatCommunicationException(WeChatApi.OTHER, Kind.INVALID_ANSWER,
					"answer does not fit " + responseType.getSimpleName());
		}
	}

	private static String requirePath(String path) {
		if (path == null || !API_PATH.matcher(path).matches() || path.contains("..") || path.contains("//")) {
			throw new IllegalArgumentException("path must start with / and hold only letters, digits, _ - . /");
		}
		return path;
	}

	/**
	 * Calls WeChat.
	 * @param api the API
	 * @param request the request
	 * @param sensitive what the request carries that no log line may show (the code, the
	 * token, a signature), cut out of WeChat's errmsg should it echo them; the app secret
	 * always is
	 * @return the answer WeChat gave, errcode 0
	 */
	private JsonNode call(WeChatApi api, Function<RestClient, RestClient.RequestHeadersSpec<?>> request,
			String... sensitive) {
		try {
			return observed(api, () -> callWithRetries(api, request, sensitive));
		}
		catch (WeChatApiException ex) {
			logRefusal(ex);
			throw ex;
		}
	}

	/**
	 * Runs one exchange with WeChat inside an observation tagged with the API, the
	 * errcode and the outcome.
	 * @param <T> the type of the exchange's result
	 * @param api the API called, the observation's tag
	 * @param exchange the call to WeChat
	 * @return the exchange's result
	 */
	private <T> T observed(WeChatApi api, Supplier<T> exchange) {
		Observation observation = Observation.createNotStarted(OBSERVATION_NAME, this.observationRegistry)
			.contextualName("wechat " + api.apiName())
			.lowCardinalityKeyValue("api", api.apiName())
			.start();
		try {
			T answer = exchange.get();
			observation.lowCardinalityKeyValue("errcode", "0").lowCardinalityKeyValue("outcome", "success");
			return answer;
		}
		catch (WeChatApiException ex) {
			observation.lowCardinalityKeyValue("errcode", Integer.toString(ex.errcode()))
				.lowCardinalityKeyValue("outcome", "wechat_error")
				.error(ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			observation.lowCardinalityKeyValue("errcode", "none")
				.lowCardinalityKeyValue("outcome", "communication_error")
				.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * One line per refusal with the errcode, errmsg and rid (WeChat's support asks for
	 * it): WARN when an operator must act or the code is unknown, DEBUG for what the
	 * caller handles (a user's bad code, a stale token).
	 * @param ex the refusal WeChat answered
	 */
	private static void logRefusal(WeChatApiException ex) {
		if (ex.category() == Category.CONFIGURATION || ex.category() == Category.UNKNOWN) {
			logger.warn(ex.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(ex.getMessage());
		}
	}

	private JsonNode callWithRetries(WeChatApi api, Function<RestClient, RestClient.RequestHeadersSpec<?>> request,
			String... sensitive) {
		for (int attempt = 1;; attempt++) {
			JsonNode body = exchange(api, request);
			int errcode = body.path("errcode").asInt(0);
			if (errcode == 0) {
				return body;
			}
			if (errcode == WeChatErrorCode.SYSTEM_BUSY.code() && api.retriedWhenBusy()
					&& attempt < this.retry.maxAttempts()) {
				sleep(api, this.retry.backoff(attempt));
				continue;
			}
			throw new WeChatApiException(api, errcode, redact(text(body, "errmsg"), sensitive));
		}
	}

	private JsonNode exchange(WeChatApi api, Function<RestClient, RestClient.RequestHeadersSpec<?>> request) {
		try {
			return request.apply(this.restClient).exchange((clientRequest, response) -> {
				if (!response.getStatusCode().is2xxSuccessful()) {
					throw new WeChatCommunicationException(api, Kind.HTTP_STATUS,
							"HTTP status " + response.getStatusCode().value());
				}
				byte[] bytes = readBounded(api, response.getBody());
				if (this.apiSecurity != null && api == WeChatApi.GET_USER_PHONE_NUMBER) {
					bytes = this.apiSecurity.open(api, PHONE_NUMBER_PATH, response.getHeaders(), bytes);
				}
				return parse(api, bytes);
			});
		}
		catch (RestClientException ex) {
			// Not chained: Spring's message names the URL, which carries the secret or
			// the access token.
			Throwable cause = ex.getMostSpecificCause();
			String problem = (cause != ex) ? cause.getClass().getSimpleName() : "request failed";
			throw new WeChatCommunicationException(api, isTimeout(cause) ? Kind.TIMEOUT : Kind.IO_ERROR,
					"I/O error (" + problem + ")");
		}
	}

	private static byte[] readBounded(WeChatApi api, InputStream body) {
		return readBounded(api, body, MAX_RESPONSE_BYTES);
	}

	private static byte[] readBounded(WeChatApi api, InputStream body, int maxBytes) {
		try (body) {
			byte[] bytes = body.readNBytes(maxBytes + 1);
			if (bytes.length > maxBytes) {
				throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER,
						"answer larger than " + maxBytes + " bytes");
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new WeChatCommunicationException(api, isTimeout(ex) ? Kind.TIMEOUT : Kind.IO_ERROR,
					"I/O error (" + ex.getClass().getSimpleName() + ")");
		}
	}

	private static JsonNode parse(WeChatApi api, byte[] bytes) {
		if (bytes.length == 0) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER, "empty answer");
		}
		JsonNode node;
		try {
			node = JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER, "answer is not JSON");
		}
		if (node == null || !node.isObject()) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER, "answer is not a JSON object");
		}
		return node;
	}

	/**
	 * WeChat's errmsg goes into logs: should it ever echo the secret, a code or a token,
	 * they stay out.
	 * @param errmsg the errmsg WeChat answered, or {@code null}
	 * @param sensitive what the request carried that must not be logged
	 * @return the errmsg with the app secret and each sensitive value replaced, or
	 * {@code null}
	 */
	private String redact(String errmsg, String... sensitive) {
		if (errmsg == null) {
			return null;
		}
		String redacted = errmsg.replace(this.appSecret, "[app secret]");
		for (String value : sensitive) {
			// Codes, tokens and signatures are far longer; a few characters would only
			// garble the errmsg and its rid.
			if (value != null && value.length() >= 8) {
				redacted = redacted.replace(value, "[redacted]");
			}
		}
		return redacted;
	}

	private static Code2Session code2Session(WeChatApi api, JsonNode body) {
		String openid = text(body, "openid");
		String sessionKey = text(body, "session_key");
		if (openid == null || sessionKey == null) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER, "answer has no openid or session_key");
		}
		return new Code2Session(openid, text(body, "unionid"), sessionKey);
	}

	private static AccessToken accessToken(WeChatApi api, JsonNode body) {
		String token = text(body, "access_token");
		long expiresIn = body.path("expires_in").asLong(0);
		if (token == null || token.length() > 512 || expiresIn <= 0) {
			throw new WeChatCommunicationException(api, Kind.INVALID_ANSWER,
					"answer has no valid access_token or expires_in");
		}
		return new AccessToken(token, Duration.ofSeconds(expiresIn));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull() || value.isContainer()) {
			return null;
		}
		String text = value.asString();
		return text.isEmpty() ? null : text;
	}

	private static void requireCode(String code, String name) {
		if (code == null || !CODE.matcher(code).matches()) {
			throw new InvalidInputException(name + " must be 1 to 128 visible ASCII characters");
		}
	}

	private static boolean isTimeout(Throwable cause) {
		return cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.net.SocketTimeoutException;
	}

	private static void sleep(WeChatApi api, Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WeChatCommunicationException(api, Kind.IO_ERROR, "interrupted while waiting to retry");
		}
	}

}
