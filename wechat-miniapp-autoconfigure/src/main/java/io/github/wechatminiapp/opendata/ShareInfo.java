package io.github.wechatminiapp.opendata;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code wx.getShareInfo} and {@code wx.getGroupEnterInfo} encrypt: the group chat the mini program was opened
 * from. The first writes the id as {@code openGId}, the second as {@code opengid}; either is read.
 *
 * @param openGId the group's id within this mini program; never null
 */
public record ShareInfo(@JsonProperty("openGId") String openGId) {

	/**
	 * A payload without the group id is not share info.
	 * @param openGId the group's id
	 * @throws NullPointerException if the id is null
	 */
	public ShareInfo {
		Objects.requireNonNull(openGId, "openGId");
	}

	/** Both spellings at once make the payload ambiguous: which group was it? */
	@JsonCreator
	static ShareInfo read(@JsonProperty("openGId") String shareInfoId, @JsonProperty("opengid") String groupEnterId) {
		if (shareInfoId != null && groupEnterId != null) {
			throw new IllegalArgumentException("openGId and opengid both present");
		}
		return new ShareInfo((shareInfoId != null) ? shareInfoId : groupEnterId);
	}

}
