package io.github.wechatminiapp.opendata;

import java.util.ArrayList;
import java.util.List;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** {@code {"stepInfoList":[{"timestamp":..,"step":..},...]}}, bound as it is read. */
final class WeRunDataFields implements OpenDataFields<WeRunData> {

	/** WeChat's 31 days, with room to spare; a longer list is not WeRun data. */
	static final int MAX_DAYS = 64;

	private List<WeRunStep> steps;

	@Override
	public void field(String name, JsonParser parser) {
		if (!name.equals("stepInfoList")) {
			parser.skipChildren();
			return;
		}
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		List<WeRunStep> list = new ArrayList<>(32);
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			if (list.size() == MAX_DAYS) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
			long timestamp = 0;
			int step = 0;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				parser.nextToken();
				switch (field) {
					case "timestamp" -> timestamp = OpenDataFields.longInteger(parser);
					case "step" -> step = OpenDataFields.integer(parser);
					default -> parser.skipChildren();
				}
			}
			list.add(new WeRunStep(timestamp, step));
		}
		if (parser.currentToken() != JsonToken.END_ARRAY) {
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
