const app = getApp();

Page({
  data: {
    busy: false,
    phoneNumber: '',
    message: ''
  },

  onShow() {
    // Make sure the user is logged in before the button can be tapped (see app.js). Never in the callback below.
    if (app.loggedIn) {
      app.loggedIn.catch(() => {
        app.relogin(); // which logs its own failure
      });
    }
  },

  /**
   * The getPhoneNumber button. Do NOT call wx.login here: WeChat may rotate the session key that encrypted
   * detail.encryptedData, and the server could no longer decrypt it.
   * @param {WechatMiniprogram.ButtonGetPhoneNumber} e
   */
  onGetPhoneNumber(e) {
    const detail = e.detail;
    /** @type {Record<string, string>} */
    let payload;
    if (detail.code) {
      // Base library 2.21.2+: a one-time code the server exchanges with WeChat.
      payload = { code: detail.code };
    } else if (detail.encryptedData && detail.iv) {
      // Older base libraries: data encrypted with the session key the server keeps.
      payload = { encryptedData: detail.encryptedData, iv: detail.iv };
    } else {
      // The user refused, or the app has no phone-number permission: detail.errMsg says which.
      this.setData({ message: 'No phone number shared (' + (detail.errMsg || 'cancelled') + ')' });
      return;
    }
    this.setData({ busy: true, message: '' });
    app.post('/api/phone', payload)
      .then(/** @param {{status: number, body: any}} response */ ({ status, body }) => {
        if (status === 200) {
          this.setData({ phoneNumber: body.phoneNumber });
          return;
        }
        if (status === 401 || (body && body.loginRequired)) {
          // The server's token (expired or revoked) or WeChat's session key is gone. Log in again now, after the callback's data
          // has been used, and let the user tap again: new encryptedData will use the new key.
          app.relogin();
          this.setData({ message: 'Please tap the button again' });
          return;
        }
        this.setData({ message: (body && body.message) || ('Request failed: HTTP ' + status) });
      })
      .catch(/** @param {any} error */ (error) => {
        if (error && error.loginFailed) {
          // Logging in failed earlier, so nothing was sent. Try again now that this callback's data is spent:
          // without this, every later tap would fail the same way.
          app.relogin();
          this.setData({ message: 'Could not log in, please tap the button again' });
          return;
        }
        this.setData({ message: 'Network error, please try again' });
      })
      .then(() => this.setData({ busy: false }));
  }
});
