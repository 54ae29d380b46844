package io.github.wechatminiapp.opendata;

import tools.jackson.core.JsonParser;

/**
 * What {@code wx.getUserInfo} encrypts, bound as it is read; the reader has checked
 * {@code openId} already.
 */
final class UserInfoFields implements OpenDataFields<UserInfo> {

	private String openId;

	private String nickName;

	private int gender;

	private String language;

	private String city;

	private String province;

	private String country;

	private String avatarUrl;

	private String unionId;

	@Override
	public void field(String name, JsonParser parser) {
		switch (name) {
			case "openId" -> this.openId = OpenDataFields.text(parser);
			case "nickName" -> this.nickName = OpenDataFields.text(parser);
			case "gender" -> this.gender = OpenDataFields.integer(parser);
			case "language" -> this.language = OpenDataFields.text(parser);
			case "city" -> this.city = OpenDataFields.text(parser);
			case "province" -> this.province = OpenDataFields.text(parser);
			case "country" -> this.country = OpenDataFields.text(parser);
			case "avatarUrl" -> this.avatarUrl = OpenDataFields.text(parser);
			case "unionId" -> this.unionId = OpenDataFields.text(parser);
			default -> parser.skipChildren();
		}
	}

	@Override
	public UserInfo result() {
		return new UserInfo(this.openId, this.nickName, this.gender, this.language, this.city, this.province,
				this.country, this.avatarUrl, this.unionId);
	}

}
