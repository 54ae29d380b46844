// The client side of the sample: paste this folder into a WeChat Mini Program project.
// Set API_BASE to your server: HTTPS, and listed among the request domains (服务器域名) of the mini program.
const API_BASE = 'https://your-server.example.com';

const TOKEN_KEY = 'authToken';

/**
 * @typedef {object} ApiResponse
 * @property {number} status the HTTP status
 * @property {any} body the JSON body: the answer, or RFC 9457 problem details {type, title, status, detail, error}
 */

App({
  globalData: {
    /** @type {string | null} this app's bearer token (not WeChat's session key, which stays on the server) */
    token: null,
    /** @type {string | null} */
    openid: null
  },

  /** @type {Promise<string> | null} resolves to the bearer token once logged in */
  loggedIn: null,

  onLaunch() {
    // Log in early, while nothing else is going on. The phone button must find the session key already stored
    // on the server: calling wx.login inside its callback may make WeChat rotate the key the data was encrypted
    // with, and the server could no longer decrypt it.
    const loggedIn = this.ensureLogin();
    this.loggedIn = loggedIn;
    loggedIn.catch((error) => console.warn('login failed', error));
  },

  /**
   * Resolves to this app's bearer token. Reuses the stored one while WeChat's session is still valid
   * (wx.checkSession), so wx.login is called only when needed: each call may rotate the session key. A stored
   * token the server no longer accepts (expired or revoked) is answered 401, and the caller logs in again.
   * @returns {Promise<string>}
   */
  ensureLogin() {
    const token = wx.getStorageSync(TOKEN_KEY);
    if (!token) {
      return this.login();
    }
    return new Promise((resolve) => {
      wx.checkSession({
        success: () => {
          this.globalData.token = token;
          resolve(token);
        },
        fail: () => resolve(this.login())
      });
    });
  },

  /**
   * wx.login, then POST /api/login {code} → {token, expiresIn, openid}. The server keeps WeChat's session key.
   * @returns {Promise<string>}
   */
  login() {
    return new Promise((resolve, reject) => {
      wx.login({
        success: ({ code }) => {
          wx.request({
            url: API_BASE + '/api/login',
            method: 'POST',
            data: { code },
            success: (res) => {
              const body = /** @type {{token?: string, openid?: string}} */ (res.data);
              if (res.statusCode === 200 && body && body.token) {
                this.globalData.token = body.token;
                this.globalData.openid = body.openid || null;
                wx.setStorageSync(TOKEN_KEY, body.token);
                resolve(body.token);
              } else {
                reject(body);
              }
            },
            fail: reject
          });
        },
        fail: reject
      });
    });
  },

  /**
   * Forgets the token, e.g. after a 401, and logs in again.
   * @returns {Promise<string>}
   */
  relogin() {
    this.globalData.token = null;
    wx.removeStorageSync(TOKEN_KEY);
    const loggedIn = this.login();
    this.loggedIn = loggedIn;
    // Logged here, so that a caller that does not wait for it (a page after a 401) leaves no unhandled rejection.
    loggedIn.catch((error) => console.warn('login failed', error));
    return loggedIn;
  },

  /**
   * POST to the API with the bearer token: wx.request keeps no cookies, so it travels in Authorization: Bearer
   * (RFC 6750). Rejects with {loginFailed: true, error} when there is no token because logging in failed: the caller
   * should then call relogin() (never from inside a getPhoneNumber callback before its data has been used).
   * @param {string} path
   * @param {Record<string, string>} data
   * @returns {Promise<ApiResponse>}
   */
  post(path, data) {
    const loggedIn = this.loggedIn || this.relogin();
    return loggedIn.then((token) => new Promise((resolve, reject) => {
      wx.request({
        url: API_BASE + path,
        method: 'POST',
        header: { Authorization: 'Bearer ' + token },
        data,
        success: (res) => resolve({ status: res.statusCode, body: res.data }),
        fail: reject
      });
    }), (error) => Promise.reject({ loginFailed: true, error }));
  }
});
