package io.github.wechatminiapp.opendata;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * What {@code wx.getShareInfo} and {@code wx.getGroupEnterInfo} encrypt: the chat the
 * mini program was opened from. A group chat has an {@code openGId}
 * ({@code wx.getShareInfo} writes {@code openGId}, {@code wx.getGroupEnterInfo}
 * {@code opengid}); a single chat has none, but an {@code open_single_roomid} (base
 * library 3.7.8 and later). Exactly one of the two is present.
 *
 * @param openGId the group's id within this mini program; {@code null} for a single chat
 * @param openSingleRoomId the single chat's id within this mini program; {@code null} for
 * a group chat
 * @param groupOpenId the user's id within the chat ({@code group_openid}), or
 * {@code null} when WeChat sent none
 * @param chatType the kind of chat ({@code chat_type}: 1 a single chat with a WeChat
 * contact, 2 with a WeCom contact, 3 a WeChat group, 4 a WeCom group), or {@code null}
 * when WeChat sent none
 */
public record ShareInfo(@JsonProperty("openGId") @Nullable String openGId,
		@JsonProperty("openSingleRoomId") @Nullable String openSingleRoomId,
		@JsonProperty("groupOpenId") @Nullable String groupOpenId,
		@JsonProperty("chatType") @Nullable Integer chatType) {

	/**
	 * A payload with neither chat id, or both, is not share info.
	 * @param openGId the group's id
	 * @param openSingleRoomId the single chat's id
	 * @param groupOpenId the user's id within the chat
	 * @param chatType the kind of chat
	 * @throws IllegalArgumentException unless exactly one of {@code openGId} and
	 * {@code openSingleRoomId} is given
	 */
	public ShareInfo {
		if ((openGId == null) == (openSingleRoomId == null)) {
			throw new IllegalArgumentException("Exactly one of openGId and openSingleRoomId is required");
		}
	}

	/**
	 * Share info of a group chat, as {@code wx.getShareInfo} gives it.
	 * @param openGId the group's id
	 * @throws NullPointerException if the id is null
	 */
	public ShareInfo(String openGId) {
		this(Objects.requireNonNull(openGId, "openGId"), null, null, null);
	}

}
