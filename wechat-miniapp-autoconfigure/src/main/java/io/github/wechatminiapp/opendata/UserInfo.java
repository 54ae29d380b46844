package io.github.wechatminiapp.opendata;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * What the older {@code wx.getUserInfo} encrypts. {@link OpenDataService} accepts it only
 * when {@code openId} is the user whose session key decrypted it.
 *
 * @param openId the user's id in this mini program
 * @param nickName the nickname
 * @param gender 0 unknown, 1 male, 2 female
 * @param language the language of the user's WeChat, such as {@code zh_CN}
 * @param city the city
 * @param province the province
 * @param country the country
 * @param avatarUrl the avatar image URL
 * @param unionId the user's id across the Open Platform account, or {@code null} when the
 * app is not bound
 */
public record UserInfo(@JsonProperty("openId") String openId, @JsonProperty("nickName") String nickName,
		@JsonProperty("gender") int gender, @JsonProperty("language") String language,
		@JsonProperty("city") String city, @JsonProperty("province") String province,
		@JsonProperty("country") String country, @JsonProperty("avatarUrl") String avatarUrl,
		@JsonProperty("unionId") @Nullable String unionId) {

}
