const { TOKEN_KEY, describeElement, findElement, installWx, launchApp, openPage, settle, visibleText } = require('./harness');

/** Launches the app, waits for its login, opens the index page and clears the record of what launch did. */
async function openLoggedIn(routes) {
  const env = installWx({ routes });
  const app = launchApp();
  await app.loggedIn;
  const page = openPage('pages/index/index');
  await settle();
  env.events.length = 0;
  env.requests.length = 0;
  return { env, app, page };
}

/** What WeChat delivers to bindgetphonenumber once the user has answered the phone-number dialog. */
function tapGetPhoneNumber(page, detail) {
  const button = findElement(page, 'wx-button');
  expect(button).toBeTruthy();
  button.dispatchEvent('getphonenumber', { detail });
}

const PHONE_OK = () => ({ statusCode: 200, data: { phoneNumber: '+86 138 0013 8000', purePhoneNumber: '13800138000', countryCode: '86' } });

describe('pages/index getPhoneNumber button', () => {
  test('renders the button, and nothing else yet', async () => {
    const { page } = await openLoggedIn();
    expect(visibleText(page)).toBe('Share my phone number');
    expect(describeElement(page, 'wx-button')).toEqual({
      tagName: 'wx-button',
      attrs: { openType: 'getPhoneNumber', disabled: false },
      events: { getphonenumber: 'onGetPhoneNumber' }
    });
  });

  test('detail.code is posted as {code} with the token, and the phone number is shown', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();

    expect(env.requests).toEqual([
      { path: '/api/phone', method: 'POST', header: { Authorization: 'Bearer token-1' }, data: { code: 'phone-code-1' } }
    ]);
    expect(env.events).toEqual(['request /api/phone', 'response /api/phone 200']); // no wx.login, no storage change
    expect(visibleText(page)).toContain('Your phone number: +86 138 0013 8000');
    expect(page.data).toMatchObject({ busy: false, phoneNumber: '+86 138 0013 8000', message: '' });
  });

  test('detail.encryptedData and detail.iv (older base libraries) are posted as such', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', encryptedData: 'ZW5jcnlwdGVk', iv: 'aXYtaXYtaXY=' });
    await settle();

    expect(env.requests).toEqual([
      { path: '/api/phone', method: 'POST', header: { Authorization: 'Bearer token-1' },
        data: { encryptedData: 'ZW5jcnlwdGVk', iv: 'aXYtaXYtaXY=' } }
    ]);
    expect(env.events).toEqual(['request /api/phone', 'response /api/phone 200']);
    expect(visibleText(page)).toContain('Your phone number: +86 138 0013 8000');
  });

  test('the button is disabled while the request is in flight', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });
    env.hold('/api/phone');

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();
    expect(page.data.busy).toBe(true);
    expect(describeElement(page, 'wx-button').attrs.disabled).toBe(true);

    env.release('/api/phone');
    await settle();
    expect(page.data.busy).toBe(false);
    expect(describeElement(page, 'wx-button').attrs.disabled).toBe(false);
  });

  test('the callback never calls wx.login; on 401 it calls relogin only after the /api/phone answer, and asks to tap again', async () => {
    const { env, app, page } = await openLoggedIn({
      // What the sample server (miniAppLogin()) answers for an unknown, expired or revoked token: a problem detail.
      '/api/phone': () => ({ statusCode: 401, data: { error: 'invalid_token', detail: 'The token is malformed, unknown, expired or revoked: log in again' } })
    });
    // Record when the page calls app.relogin, among the wx calls and server answers.
    const relogin = app.relogin;
    app.relogin = function () {
      env.events.push('app.relogin');
      return relogin.apply(this, arguments);
    };

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', encryptedData: 'ZW5jcnlwdGVk', iv: 'aXYtaXYtaXY=' });
    await settle();

    expect(env.events).toEqual([
      'request /api/phone',
      'response /api/phone 401',
      'app.relogin',
      'wx.removeStorageSync ' + TOKEN_KEY,
      'wx.login',
      'request /api/login',
      'response /api/login 200',
      'wx.setStorageSync ' + TOKEN_KEY
    ]);
    expect(visibleText(page)).toContain('Please tap the button again');
    expect(visibleText(page)).not.toContain('Your phone number');
    await expect(app.loggedIn).resolves.toBe('token-2');
    expect(env.store.get(TOKEN_KEY)).toBe('token-2');

    // The next tap uses the new session, still without calling wx.login.
    env.route('/api/phone', PHONE_OK);
    env.events.length = 0;
    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-2' });
    await settle();
    expect(env.events).toEqual(['request /api/phone', 'response /api/phone 200']);
    expect(env.requests[env.requests.length - 1].header).toEqual({ Authorization: 'Bearer token-2' });
    expect(visibleText(page)).toContain('Your phone number: +86 138 0013 8000');
    expect(visibleText(page)).not.toContain('Please tap the button again');
  });

  test('a 401 whose new login fails too still asks to tap again, and leaves no unhandled rejection', async () => {
    const { env, app, page } = await openLoggedIn({
      '/api/phone': () => ({ statusCode: 401, data: { error: 'invalid_token', detail: 'The token is malformed, unknown, expired or revoked: log in again' } })
    });
    env.route('/api/login', () => ({ statusCode: 502, data: { error: 'wechat_error', detail: 'WeChat is unavailable' } }));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();

    expect(env.events).toEqual(['request /api/phone', 'response /api/phone 401', 'wx.removeStorageSync authToken',
      'wx.login', 'request /api/login', 'response /api/login 502']);
    expect(visibleText(page)).toContain('Please tap the button again');
    expect(warn).toHaveBeenCalledWith('login failed', { error: 'wechat_error', detail: 'WeChat is unavailable' });
    await expect(app.loggedIn).rejects.toEqual({ error: 'wechat_error', detail: 'WeChat is unavailable' });
  });

  test('a 422 invalid_data (the data fits no key the server holds) also logs in again after the answer', async () => {
    const { env, page } = await openLoggedIn({
      // What the sample server answers when encryptedData cannot be decrypted with the stored session key.
      '/api/phone': () => ({ statusCode: 422, data: { status: 422, error: 'invalid_data', detail: 'The encrypted data could not be read' } })
    });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', encryptedData: 'ZW5jcnlwdGVk', iv: 'aXYtaXYtaXY=' });
    await settle();

    expect(env.events.indexOf('wx.login')).toBeGreaterThan(env.events.indexOf('response /api/phone 422'));
    expect(env.events[0]).toBe('request /api/phone');
    expect(visibleText(page)).toContain('Please tap the button again');
  });

  test('tapped while the launch login is still in flight: waits for it, and does not call wx.login again', async () => {
    const env = installWx({ routes: { '/api/phone': PHONE_OK } });
    env.hold('/api/login');
    launchApp();
    const page = openPage('pages/index/index');

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();
    expect(env.events).toEqual(['wx.login', 'request /api/login']);

    env.release('/api/login');
    await settle();
    expect(env.count('wx.login')).toBe(1);
    expect(env.requests[1]).toEqual(
      { path: '/api/phone', method: 'POST', header: { Authorization: 'Bearer token-1' }, data: { code: 'phone-code-1' } });
    expect(visibleText(page)).toContain('Your phone number: +86 138 0013 8000');
  });

  test('an error answer shows the server message', async () => {
    const { page } = await openLoggedIn({
      '/api/phone': () => ({ statusCode: 502, data: { error: 'wechat_error', detail: 'WeChat is unavailable' } })
    });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();

    expect(visibleText(page)).toContain('WeChat is unavailable');
    expect(page.data.busy).toBe(false);
  });

  test('a network failure says so, and does not log in again', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': () => ({ fail: 'request:fail timeout' }) });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' });
    await settle();

    expect(env.events).toEqual(['request /api/phone', 'fail /api/phone']);
    expect(visibleText(page)).toContain('Network error, please try again');
    expect(page.data.busy).toBe(false);
  });

  test('when logging in keeps failing, a tap sends nothing, logs in again afterwards, and the next tap works', async () => {
    const env = installWx({ routes: {
      '/api/login': () => ({ statusCode: 502, data: { error: 'wechat_error', detail: 'WeChat is unavailable' } }),
      '/api/phone': PHONE_OK
    } });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    launchApp();
    const page = openPage('pages/index/index'); // its onShow retries the failed launch login, which fails too
    await settle();
    expect(env.count('wx.login')).toBe(2);
    expect(warn).toHaveBeenCalledTimes(2);

    env.route('/api/login', ({ data }) => ({ statusCode: 200, data: { token: 'token-at-last', openid: 'openid-of-' + data.code } }));
    env.events.length = 0;
    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', encryptedData: 'ZW5jcnlwdGVk', iv: 'aXYtaXYtaXY=' });
    await settle();

    // Nothing could be sent without a session; wx.login comes only after this tap's data has been given up.
    expect(env.events).toEqual(['wx.removeStorageSync authToken', 'wx.login', 'request /api/login',
      'response /api/login 200', 'wx.setStorageSync authToken']);
    expect(visibleText(page)).toContain('Could not log in, please tap the button again');

    env.events.length = 0;
    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:ok', code: 'phone-code-2' });
    await settle();
    expect(env.events).toEqual(['request /api/phone', 'response /api/phone 200']);
    expect(env.requests[env.requests.length - 1].header).toEqual({ Authorization: 'Bearer token-at-last' });
    expect(visibleText(page)).toContain('Your phone number: +86 138 0013 8000');
  });

  test('user refusal sends nothing and says why', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:fail user deny' });
    await settle();

    expect(env.requests).toEqual([]);
    expect(env.events).toEqual([]);
    expect(visibleText(page)).toContain('No phone number shared (getPhoneNumber:fail user deny)');
    expect(visibleText(page)).not.toContain('Your phone number');
  });

  test('errno 1400001 (phone-number quota used up) sends nothing, tells the user, and tells the console why', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 });
    await settle();

    expect(env.requests).toEqual([]);
    expect(env.events).toEqual([]);
    expect(visibleText(page)).toContain('Sharing a phone number is not available right now, please enter it instead');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('errno 1400001'));
    expect(page.data.busy).toBe(false);
  });

  test('errno 112 (phone number not declared in the privacy agreement) sends nothing and tells the console', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:fail api scope is not declared in the privacy agreement', errno: 112 });
    await settle();

    expect(env.requests).toEqual([]);
    expect(visibleText(page)).toContain('Sharing a phone number is not available right now, please enter it instead');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('errno 112'));
  });

  test('errno 104 (privacy agreement not agreed) asks the user to agree, and sends nothing', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 });
    await settle();

    expect(env.requests).toEqual([]);
    expect(visibleText(page)).toContain('Please agree to the privacy agreement to share your phone number');
    expect(error).not.toHaveBeenCalled();
  });

  test('a refusal with another errno is the plain refusal', async () => {
    const { env, page } = await openLoggedIn({ '/api/phone': PHONE_OK });

    tapGetPhoneNumber(page, { errMsg: 'getPhoneNumber:fail user deny', errno: 1 });
    await settle();

    expect(env.requests).toEqual([]);
    expect(visibleText(page)).toContain('No phone number shared (getPhoneNumber:fail user deny)');
  });

  test('when the launch login failed, showing the page logs in again (before any tap)', async () => {
    const env = installWx({ routes: { '/api/login': () => ({ statusCode: 502, data: { error: 'wechat_error' } }) } });
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    const app = launchApp();
    await expect(app.loggedIn).rejects.toBeTruthy();

    env.route('/api/login', ({ data }) => ({ statusCode: 200, data: { token: 'token-after-retry', openid: 'openid-of-' + data.code } }));
    openPage('pages/index/index');
    await settle();

    expect(env.count('wx.login')).toBe(2);
    await expect(app.loggedIn).resolves.toBe('token-after-retry');
  });
});
