package io.github.wechatminiapp.test;

/**
 * One day of a sandbox user's WeRun data, as {@code wx.getWeRunData} encrypts it.
 *
 * @param timestamp midnight of the day in China time (UTC+8), in seconds since the epoch
 * @param step the steps walked that day
 */
public record WeRunDay(long timestamp, int step) {

}
