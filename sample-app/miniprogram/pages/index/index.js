const app = getApp();

/**
 * Refusals WeChat reports to the mini program only, as detail.errno, when the user taps the button: the server never
 * sees them, so they are handled here.
 */
const PHONE_ERRNO = {
  /** The app's phone-number quota is used up (WeChat bills each successful tap): nothing for the user to do. */
  QUOTA_EXHAUSTED: 1400001,
  /** The privacy agreement does not declare the phone number: the administrator must add it in the admin console. */
  PRIVACY_NOT_DECLARED: 112,
  /** The user has not agreed to the mini program's privacy agreement. */
  PRIVACY_NOT_AGREED: 104
};

/**
 * What to tell the user (and the console) when the dialog gave neither a code nor encryptedData.
 * @param {{errMsg?: string, errno?: number}} detail
 * @returns {string}
 */
function phoneRefusalMessage(detail) {
  switch (detail.errno) {
    case PHONE_ERRNO.QUOTA_EXHAUSTED:
      console.error('getPhoneNumber: the phone-number quota is used up (errno 1400001): top it up in the admin console');
      return 'Sharing a phone number is not available right now, please enter it instead';
    case PHONE_ERRNO.PRIVACY_NOT_DECLARED:
      console.error('getPhoneNumber: the privacy agreement does not declare the phone number (errno 112)');
      return 'Sharing a phone number is not available right now, please enter it instead';
    case PHONE_ERRNO.PRIVACY_NOT_AGREED:
      return 'Please agree to the privacy agreement to share your phone number';
    default:
      // The user refused, or the app has no phone-number permission: detail.errMsg says which.
      return 'No phone number shared (' + (detail.errMsg || 'cancelled') + ')';
  }
}

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
      // Nothing to send: the server would only spend a request on it.
      this.setData({ message: phoneRefusalMessage(/** @type {{errMsg?: string, errno?: number}} */ (detail)) });
      return;
    }
    this.setData({ busy: true, message: '' });
    app.post('/api/phone', payload)
      .then(/** @param {{status: number, body: any}} response */ ({ status, body }) => {
        if (status === 200) {
          this.setData({ phoneNumber: body.phoneNumber });
          return;
        }
        if (status === 401 || (body && body.error === 'invalid_data')) {
          // The server's token (expired or revoked) or WeChat's session key is gone, or the encrypted data fits no key the
          // server holds (a wx.login inside the callback rotates it). Log in again now, after the callback's data has been
          // used, and let the user tap again: new encryptedData will use the new key.
          app.relogin();
          this.setData({ message: 'Please tap the button again' });
          return;
        }
        this.setData({ message: (body && body.detail) || ('Request failed: HTTP ' + status) });
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
