package io.github.wechatminiapp.sample;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of every API request: the largest real one (encryptedData and iv of a
 * phone number) is a few hundred bytes. A declared {@code Content-Length} over the limit
 * is answered 413 before a byte is read; a body without one (chunked) is read only up to
 * the limit, then {@link BodyTooLargeException} ends the read and the request is answered
 * 413 too.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

	/** Largest API request body accepted, in bytes. */
	static final int MAX_BODY_BYTES = 8 * 1024;

	/** The {@code error} of the 413 answer. */
	static final String TOO_LARGE_ERROR = "payload_too_large";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			tooLarge(request, response);
			return;
		}
		chain.doFilter(new BoundedRequest(request), response);
	}

	static void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		// The client may still be sending: close the connection rather than read the
		// rest.
		response.setHeader("Connection", "close");
		// The problem details ApiExceptionHandler answers a chunked body that grows too
		// large with.
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("detail", ApiExceptionHandler.TOO_LARGE_DETAIL);
		problem.put("instance", request.getRequestURI());
		problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
		problem.put("title", HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase());
		problem.put("error", TOO_LARGE_ERROR);
		response.getOutputStream().write(JSON.writeValueAsBytes(problem));
	}

	/** Thrown by the bounded body once more than {@link #MAX_BODY_BYTES} were read. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super("request body larger than " + MAX_BODY_BYTES + " bytes");
		}

	}

	private static final class BoundedRequest extends HttpServletRequestWrapper {

		private ServletInputStream bounded;

		BoundedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.bounded == null) {
				this.bounded = new BoundedInputStream(super.getInputStream());
			}
			return this.bounded;
		}

	}

	private static final class BoundedInputStream extends ServletInputStream {

		private final ServletInputStream in;

		private long read;

		BoundedInputStream(ServletInputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLargeException {
			this.read += n;
			if (this.read > MAX_BODY_BYTES) {
				throw new BodyTooLargeException();
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

}
