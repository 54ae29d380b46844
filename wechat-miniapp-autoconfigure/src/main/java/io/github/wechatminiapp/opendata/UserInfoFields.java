package io.github.wechatminiapp.opendata;

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
	public void field(String name, StrictJson json) {
		switch (name) {
			case "openId" -> this.openId = OpenDataFields.text(json);
			case "nickName" -> this.nickName = OpenDataFields.text(json);
			case "gender" -> this.gender = OpenDataFields.integer(json);
			case "language" -> this.language = OpenDataFields.text(json);
			case "city" -> this.city = OpenDataFields.text(json);
			case "province" -> this.province = OpenDataFields.text(json);
			case "country" -> this.country = OpenDataFields.text(json);
			case "avatarUrl" -> this.avatarUrl = OpenDataFields.text(json);
			case "unionId" -> this.unionId = OpenDataFields.text(json);
			default -> json.skipChildren();
		}
	}

	@Override
	public UserInfo result() {
		return new UserInfo(this.openId, this.nickName, this.gender, this.language, this.city, this.province,
				this.country, this.avatarUrl, this.unionId);
	}

}
