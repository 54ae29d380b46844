package io.github.wechatminiapp.sample.sandbox;

import io.github.wechatminiapp.test.WeChatSandbox;

/**
 * The embedded {@link WeChatSandbox} of sandbox mode, as a bean: present only in sandbox
 * mode, and closes the sandbox when the application context closes.
 */
public final class SandboxMode implements AutoCloseable {

	private final WeChatSandbox sandbox;

	SandboxMode(WeChatSandbox sandbox) {
		this.sandbox = sandbox;
	}

	/**
	 * The running sandbox.
	 * @return the sandbox
	 */
	public WeChatSandbox sandbox() {
		return this.sandbox;
	}

	@Override
	public void close() {
		this.sandbox.close();
	}

}
