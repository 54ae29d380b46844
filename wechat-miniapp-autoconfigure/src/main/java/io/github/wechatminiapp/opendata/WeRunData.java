package io.github.wechatminiapp.opendata;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code wx.getWeRunData} encrypts: the user's steps of the last 31 days (30 and
 * today), oldest first.
 *
 * @param stepInfoList one entry per day; never null
 */
public record WeRunData(@JsonProperty("stepInfoList") List<WeRunStep> stepInfoList) {

	/**
	 * A payload without the list, or with a hole in it, is not WeRun data.
	 * @param stepInfoList one entry per day
	 * @throws NullPointerException if the list or one of its entries is null
	 */
	public WeRunData {
		stepInfoList = List.copyOf(stepInfoList);
	}

}
