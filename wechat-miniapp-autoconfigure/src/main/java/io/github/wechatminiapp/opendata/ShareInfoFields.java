package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.StrictJson.Token;

/**
 * {@code wx.getShareInfo}'s {@code {"openGId"}} and {@code wx.getGroupEnterInfo}'s
 * {@code {"opengid" | "open_single_roomid", "group_openid", "chat_type"}}, bound as they
 * are read. Two ids for the group, or a group and a single chat at once, make the payload
 * ambiguous: which chat was it?
 */
final class ShareInfoFields implements OpenDataFields<ShareInfo> {

	private String openGId;

	private boolean groupIdSeen;

	private String openSingleRoomId;

	private String groupOpenId;

	private Integer chatType;

	@Override
	public void field(String name, StrictJson json) {
		switch (name) {
			case "openGId", "opengid" -> {
				if (this.groupIdSeen) {
					throw new OpenDataException(Reason.INVALID_PAYLOAD);
				}
				this.groupIdSeen = true;
				this.openGId = OpenDataFields.text(json);
			}
			case "open_single_roomid" -> this.openSingleRoomId = OpenDataFields.text(json);
			case "group_openid" -> this.groupOpenId = OpenDataFields.text(json);
			case "chat_type" -> this.chatType = (json.token() != Token.NULL) ? OpenDataFields.integer(json) : null;
			default -> json.skipChildren();
		}
	}

	@Override
	public ShareInfo result() {
		if ((this.openGId == null) == (this.openSingleRoomId == null)) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		return new ShareInfo(this.openGId, this.openSingleRoomId, this.groupOpenId, this.chatType);
	}

}
