package io.github.wechatminiapp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The worked example of WeChat's "服务端 API 签名加密指南" (getting_started/api_signature,
 * sections 3.1.2, 3.2.2, 4.1.2 and 4.2.1: the risk-control API getuserriskrank); see
 * src/test/resources/api-security/README.md.
 */
final class OfficialApiSecurityExample {

	static final String APP_ID = "wxba6223c06417af7b";

	static final String URL_PATH = "https://api.weixin.qq.com/wxa/getuserriskrank";

	static final byte[] KEY = Base64.getDecoder().decode("otUpngOjU+nVQaWJIC3D/yMLV17RKaP6t4Ot9tbnzLY=");

	static final String SN = "fa05fe1e5bcc79b81ad5ad4b58acf787";

	static final String PLATFORM_SN = "79ba700ea147819f640941bceb38b1d1";

	static final long REQUEST_TIMESTAMP = 1635927954L;

	static final String REQUEST_PLAINTEXT = "{\"_n\":\"o89QaPVsRu1yppIZzvSZc4\",\"_appid\":\"wxba6223c06417af7b\","
			+ "\"_timestamp\":1635927954,\"appid\":\"wxba6223c06417af7b\",\"openid\":\"oEWzBfmdLqhFS2mTXCo2E4Y9gJAM\","
			+ "\"scene\":0,\"client_ip\":\"127.0.0.1\"}";

	static final String REQUEST_IV = "fmW/zNxXlytUZBgj";

	static final String REQUEST_DATA = "0IDVdrPtSPF/Oe2CTXCV2vVNPbVJdJlP2WaTMQnoYLh5iCrrSNfQFh25EnStDMf0hLlVNBCZQtf9NaV0"
			+ "m4aRA4AAYIO7oR/Ge+4yY4EmZp5EVPB42xjScgMx5X3D4VdLCfynXIUKUtZHZvk1zmLVE3RauzJgiM1BB1CPmwcENo3MTJ0z8Vfkf5tMv54k"
			+ "OXobDLlV5rfqKdAX7gM/rP82DgZdt9vvZX44ipdbHIjJvw83ZXAFtvftdVw2Qd8=";

	static final String REQUEST_AUTHTAG = "5qeM/2vZv+6KtScN94IpMg==";

	static final String REQUEST_SIGNATURE = "wcSSWHZunjz9VKl9q+If9deiyECXDAELfAJNZ4+5T+NhFr8zfhkwdQtlgQ7nN5xs99R57La9Uj"
			+ "BTRBGge2KYyshWtw7HIMPAqWNsnpHvx0b2f7s6Bt7OpfOQLlIfNgepgTVmUwrqW8/7A12szj7tCe/bRFilwnaX6N0w4duHlfL7ic7IIZXouvy9"
			+ "dLRAa5GtEk1eD/LPWRiKh0SvJ3znPY/pSiQW9zSkXVdj9UGGM8qcKLzPGJ7gSmt3ZOPkFapk9wqFmhJwQj//xN5+hUlr2UiNPMNSHve5Y2ADLs"
			+ "NHqk5t7RfAZ8nW9/8lzhVt4t+toy1FeehxCGIC8qgmjIl1hg==";

	static final long RESPONSE_TIMESTAMP = 1635927956L;

	static final String RESPONSE_BODY = "{\"iv\":\"r2WDQt56rEAmMuoR\",\"data\":\"HExs66Ik3el+iM4IpeQ7SMEN934FRLFYOd3Emea"
			+ "IrpP4EPTHckoco6O+PaoRZRa3lqaPRZT7r52f7LUok6gLxc6cdR8C4vpIIfh4xfLC4L7FNy9GbuMK1hcoi8b7gkWJcwZMkuCFNEDmqn3T49oWz"
			+ "AQOrY4LZnnnykv6oUJotdAsnKvmoJkLK7hRh7M2B1d2UnTnRuoIyarXc5Iojwoghx4BOvnV\",\"authtag\":\"z2BFD8QctKXTuBlhICGOj"
			+ "Q==\"}";

	static final String RESPONSE_PLAINTEXT = "{\"_n\":\"ShYZpqdVgY+yQVAxNSWhYg\",\"_appid\":\"wxba6223c06417af7b\","
			+ "\"_timestamp\":1635927956,\"errcode\":0,\"errmsg\":\"getuserriskrank succ\",\"risk_rank\":0,"
			+ "\"unoin_id\":2258658297}";

	static final String RESPONSE_SIGNATURE = "Ht0VfQkkEweJ4hU266C14Aj64H9AXfkwNi5zxUZETCvR2svU1ZYdosDhFX/voLj1TyszqKs"
			+ "VxAlENGt7PPZZ8RQX7jnA4SKhiPUhW4LTbyTenisHJ+ohSfDjYnXavjQsBHspFS+BlPHuSSJ2xyQzw1+HuC6nid09ZL4FnGSYo4OI5MJrSb9x"
			+ "LzIVZMIDuUQchGKi/KaB1KzxECLEZcfjqbAgmxC7qOmuBLyO1WkHYDM95NJrHJWba5xv4wrwPru9yYTJSNRnlM+zrW5w9pOubC4Jtj3szTAEuO"
			+ "z9AcqUmgaAvMLNAIa8hfODLRe3n/cu4SgYlN/ZkNRU4QXVNbPGMg==";

	private OfficialApiSecurityExample() {
	}

	static ApiSecurityEnvelope responseEnvelope() {
		return new ApiSecurityEnvelope("r2WDQt56rEAmMuoR",
				RESPONSE_BODY.substring(RESPONSE_BODY.indexOf("\"data\":\"") + 8, RESPONSE_BODY.indexOf("\",\"auth")),
				"z2BFD8QctKXTuBlhICGOjQ==");
	}

	static String resource(String name) {
		try (InputStream in = OfficialApiSecurityExample.class.getResourceAsStream("/api-security/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
