package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Forced refreshes of one app in this JVM: when the last one was, how many today, and
 * until when WeChat refuses them. Thread-safe.
 */
public final class LocalForcedRefreshLedger implements ForcedRefreshLedger {

	/** WeChat counts daily quotas by Beijing time. */
	static final ZoneId WECHAT_ZONE = ZoneId.of("Asia/Shanghai");

	private Instant last;

	private LocalDate day;

	private int count;

	private Instant blockedUntil;

	@Override
	public synchronized ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay) {
		if (this.blockedUntil != null && now.isBefore(this.blockedUntil)) {
			return ForcedRefreshClaim.DAILY_LIMIT_REACHED;
		}
		if (this.last != null && now.isBefore(this.last.plus(interval))) {
			return ForcedRefreshClaim.TOO_SOON;
		}
		LocalDate today = day(now);
		int usedToday = today.equals(this.day) ? this.count : 0;
		if (usedToday >= perDay) {
			return ForcedRefreshClaim.DAILY_LIMIT_REACHED;
		}
		this.last = now;
		this.day = today;
		this.count = usedToday + 1;
		return ForcedRefreshClaim.GRANTED;
	}

	@Override
	public synchronized void blockForcedRefreshes(Instant until) {
		this.blockedUntil = until;
	}

	static LocalDate day(Instant instant) {
		return LocalDate.ofInstant(instant, WECHAT_ZONE);
	}

	/**
	 * When WeChat's daily quotas start again after the given instant: the next midnight
	 * in Beijing.
	 * @param instant any instant
	 * @return the next midnight in Beijing after it
	 */
	static Instant nextDay(Instant instant) {
		return day(instant).plusDays(1).atStartOfDay(WECHAT_ZONE).toInstant();
	}

}
