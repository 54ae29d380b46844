package io.github.wechatminiapp.opendata;

import java.util.ArrayList;
import java.util.List;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.StrictJson.Token;

/** {@code {"stepInfoList":[{"timestamp":..,"step":..},...]}}, bound as it is read. */
final class WeRunDataFields implements OpenDataFields<WeRunData> {

	/** WeChat's 31 days, with room to spare; a longer list is not WeRun data. */
	static final int MAX_DAYS = 64;

	private List<WeRunStep> steps;

	@Override
	public void field(String name, StrictJson json) {
		if (!name.equals("stepInfoList")) {
			json.skipChildren();
			return;
		}
		if (json.token() != Token.START_ARRAY) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		List<WeRunStep> list = new ArrayList<>(32);
		while (json.next() == Token.START_OBJECT) {
			if (list.size() == MAX_DAYS) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
			long timestamp = 0;
			int step = 0;
			while (json.next() == Token.NAME) {
				String field = json.name();
				json.next();
				switch (field) {
					case "timestamp" -> timestamp = OpenDataFields.longInteger(json);
					case "step" -> step = OpenDataFields.integer(json);
					default -> json.skipChildren();
				}
			}
			list.add(new WeRunStep(timestamp, step));
		}
		if (json.token() != Token.END_ARRAY) {
			// A hole (null) or anything else that is not a day.
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		this.steps = list;
	}

	@Override
	public WeRunData result() {
		if (this.steps == null) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		return new WeRunData(this.steps);
	}

}
