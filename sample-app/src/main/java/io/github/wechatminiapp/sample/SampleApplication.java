package io.github.wechatminiapp.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A mini program backend: {@code POST /api/login} (the starter's {@code miniAppLogin()},
 * bearer tokens) and {@code POST /api/phone}, built on one injected bean,
 * {@link io.github.wechatminiapp.apps.MiniApps}. With the {@code sandbox} profile it runs
 * against an embedded WeChat sandbox and serves a browser simulator of the mini program
 * at {@code /}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
