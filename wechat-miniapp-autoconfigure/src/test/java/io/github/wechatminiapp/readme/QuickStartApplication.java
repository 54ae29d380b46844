package io.github.wechatminiapp.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application of the README's Quick start: its {@link SecurityConfiguration} and
 * {@link PhoneController}, as written there.
 */
@SpringBootApplication
class QuickStartApplication {

}
