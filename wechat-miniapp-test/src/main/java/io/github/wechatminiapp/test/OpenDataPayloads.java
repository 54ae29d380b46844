package io.github.wechatminiapp.test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plaintexts of WeChat's open data other than the phone number, as WeChat writes
 * them.
 */
final class OpenDataPayloads {

	/** How many days {@code wx.getWeRunData} covers: the last 30 and today. */
	static final int WE_RUN_DAYS = 31;

	/** WeRun days start at midnight in China. */
	private static final ZoneId CHINA = ZoneOffset.ofHours(8);

	/**
	 * What WeChat has sent as the nickname of every user since the 2022 privacy change.
	 */
	static final String NICK_NAME = "微信用户";

	/**
	 * WeChat's grey default avatar, sent for every user since the 2022 privacy change.
	 */
	static final String AVATAR_URL = "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6ic"
			+ "RiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132";

	private OpenDataPayloads() {
	}

	/**
	 * Stable for a user and a day, different between users and days, so tests can tell
	 * payloads apart.
	 * @param user the user
	 * @param now the sandbox clock's time
	 * @return one entry a day, the oldest first, ending today in China
	 */
	static List<WeRunDay> weRunSteps(WeChatSandboxUser user, Instant now) {
		LocalDate today = LocalDate.ofInstant(now, CHINA);
		List<WeRunDay> steps = new ArrayList<>(WE_RUN_DAYS);
		for (int daysAgo = WE_RUN_DAYS - 1; daysAgo >= 0; daysAgo--) {
			long midnight = today.minusDays(daysAgo).atStartOfDay(CHINA).toEpochSecond();
			steps.add(new WeRunDay(midnight, Math.floorMod((user.openid() + midnight).hashCode(), 20_000)));
		}
		return List.copyOf(steps);
	}

	static Map<String, Object> weRun(List<WeRunDay> steps) {
		List<Map<String, Object>> list = new ArrayList<>(steps.size());
		for (WeRunDay step : steps) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("timestamp", step.timestamp());
			entry.put("step", step.step());
			list.add(entry);
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("stepInfoList", list);
		return payload;
	}

	/**
	 * {@code wx.getShareInfo} writes {@code openGId}.
	 * @param openGId the group's id
	 * @return the payload, without watermark
	 */
	static Map<String, Object> shareInfo(String openGId) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("openGId", openGId);
		return payload;
	}

	/**
	 * {@code wx.getGroupEnterInfo} (base library 3.7.8+) in a group chat writes
	 * {@code opengid}, in lower case, the user's {@code group_openid} and the chat type
	 * (3: a WeChat group).
	 * @param openGId the group's id
	 * @param groupOpenId the user's id in the group
	 * @return the payload, without watermark
	 */
	static Map<String, Object> groupEnterInfo(String openGId, String groupOpenId) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("opengid", openGId);
		payload.put("group_openid", groupOpenId);
		payload.put("chat_type", 3);
		return payload;
	}

	/**
	 * {@code wx.getGroupEnterInfo} in a single chat has no {@code opengid}: it writes
	 * {@code open_single_roomid}, the user's {@code group_openid} and the chat type (1: a
	 * single chat with a WeChat contact).
	 * @param openSingleRoomId the single chat's id
	 * @param groupOpenId the user's id in the chat
	 * @return the payload, without watermark
	 */
	static Map<String, Object> singleChatEnterInfo(String openSingleRoomId, String groupOpenId) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("open_single_roomid", openSingleRoomId);
		payload.put("group_openid", groupOpenId);
		payload.put("chat_type", 1);
		return payload;
	}

	/**
	 * The user's id within a chat: stable for a user and a chat, different between chats.
	 * @param user the user
	 * @param chatId the group's or single chat's id
	 * @return {@code oG} followed by 26 characters
	 */
	static String groupOpenId(WeChatSandboxUser user, String chatId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((user.openid() + "|" + chatId).getBytes(StandardCharsets.UTF_8));
			return "oG" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 26);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * The clear part of user info, which {@code rawData} carries: no ids, no watermark.
	 * @return the payload, with the sandbox nickname and empty fields
	 */
	static Map<String, Object> publicUserInfo() {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("nickName", NICK_NAME);
		payload.put("gender", 0);
		payload.put("language", "");
		payload.put("city", "");
		payload.put("province", "");
		payload.put("country", "");
		payload.put("avatarUrl", AVATAR_URL);
		return payload;
	}

	static Map<String, Object> userInfo(WeChatSandboxUser user) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("openId", user.openid());
		payload.putAll(publicUserInfo());
		if (user.unionid() != null) {
			payload.put("unionId", user.unionid());
		}
		return payload;
	}

	/**
	 * The payload with WeChat's watermark last, as WeChat writes it.
	 * @param payload the payload
	 * @param appId the app the data is for
	 * @param timestamp when the data was made
	 * @return the payload with its watermark, as JSON
	 */
	static byte[] watermarked(Map<String, Object> payload, String appId, Instant timestamp) {
		Map<String, Object> watermark = new LinkedHashMap<>();
		watermark.put("timestamp", timestamp.getEpochSecond());
		watermark.put("appid", appId);
		Map<String, Object> whole = new LinkedHashMap<>(payload);
		whole.put("watermark", watermark);
		return HttpExchanges.json(whole);
	}

	static String rawDataSignature(String rawData, String sessionKeyBase64) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((rawData + sessionKeyBase64).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	static String json(Map<String, Object> payload) {
		return new String(HttpExchanges.json(payload), StandardCharsets.UTF_8);
	}

}
