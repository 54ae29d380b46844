package io.github.wechatminiapp.opendata;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One day of {@code wx.getWeRunData}.
 *
 * @param timestamp the start of the day, in seconds since the epoch (midnight, China
 * time)
 * @param step the steps walked that day
 */
public record WeRunStep(@JsonProperty("timestamp") long timestamp, @JsonProperty("step") int step) {

}
