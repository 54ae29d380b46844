const { TOKEN_KEY, installWx, launchApp, settle } = require('./harness');

describe('app.js login', () => {
  test('with no stored token, launch calls wx.login once, posts the code to /api/login and stores the token', async () => {
    const env = installWx();
    const app = launchApp();

    await expect(app.loggedIn).resolves.toBe('token-1');
    expect(env.count('wx.login')).toBe(1);
    expect(env.count('wx.checkSession')).toBe(0); // nothing to check without a token
    expect(env.requests).toEqual([
      { path: '/api/login', method: 'POST', header: {}, data: { code: 'wx-code-1' } }
    ]);
    expect(env.store.get(TOKEN_KEY)).toBe('token-1');
    expect(app.globalData.token).toBe('token-1');
    expect(app.globalData.openid).toBe('openid-of-wx-code-1');
  });

  test('later requests carry the token in Authorization: Bearer', async () => {
    const env = installWx({ routes: { '/api/echo': ({ header }) => ({ statusCode: 200, data: { seen: header.Authorization } }) } });
    const app = launchApp();

    const response = await app.post('/api/echo', { a: 'b' });

    expect(response).toEqual({ status: 200, body: { seen: 'Bearer token-1' } });
    expect(env.requests[1]).toEqual({ path: '/api/echo', method: 'POST', header: { Authorization: 'Bearer token-1' }, data: { a: 'b' } });
    expect(env.count('wx.login')).toBe(1);
  });

  test('a request made before the launch login has finished waits for it and carries its token', async () => {
    const env = installWx({ routes: { '/api/echo': () => ({ statusCode: 200, data: {} }) } });
    env.hold('/api/login');
    const app = launchApp();

    const posted = app.post('/api/echo', {});
    await settle();
    expect(env.events).toEqual(['wx.login', 'request /api/login']); // the echo waits for the token

    env.release('/api/login');
    await posted;
    expect(env.requests.map((r) => r.path)).toEqual(['/api/login', '/api/echo']);
    expect(env.requests[1].header).toEqual({ Authorization: 'Bearer token-1' });
    expect(env.count('wx.login')).toBe(1);
  });

  test('with a stored token and a valid WeChat session, launch does not call wx.login', async () => {
    const env = installWx({ storage: { [TOKEN_KEY]: 'stored-token' }, sessionValid: true,
      routes: { '/api/echo': () => ({ statusCode: 200, data: {} }) } });
    const app = launchApp();

    await expect(app.loggedIn).resolves.toBe('stored-token');
    expect(env.count('wx.checkSession')).toBe(1);
    expect(env.count('wx.login')).toBe(0);
    expect(app.globalData.token).toBe('stored-token');

    await app.post('/api/echo', {});
    expect(env.requests).toEqual([{ path: '/api/echo', method: 'POST', header: { Authorization: 'Bearer stored-token' }, data: {} }]);
  });

  test('with a stored token but an expired WeChat session (checkSession fails), launch logs in again', async () => {
    const env = installWx({ storage: { [TOKEN_KEY]: 'stored-token' }, sessionValid: false });
    const app = launchApp();

    await expect(app.loggedIn).resolves.toBe('token-1');
    expect(env.events.slice(0, 3)).toEqual(['wx.checkSession', 'wx.login', 'request /api/login']);
    expect(env.count('wx.login')).toBe(1);
    expect(env.store.get(TOKEN_KEY)).toBe('token-1');
  });

  test('a failed login rejects loggedIn and stores nothing', async () => {
    const env = installWx({ routes: { '/api/login': () => ({ statusCode: 502, data: { error: 'wechat_error', detail: 'WeChat said no' } }) } });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const app = launchApp();

    await expect(app.loggedIn).rejects.toEqual({ error: 'wechat_error', detail: 'WeChat said no' });
    expect(env.store.has(TOKEN_KEY)).toBe(false);
    expect(app.globalData.token).toBeNull();
    await settle();
    expect(warn).toHaveBeenCalledWith('login failed', { error: 'wechat_error', detail: 'WeChat said no' });
  });

  test('relogin forgets the stored token, calls wx.login and stores the new token', async () => {
    const env = installWx({ storage: { [TOKEN_KEY]: 'stored-token' } });
    const app = launchApp();
    await app.loggedIn;

    await expect(app.relogin()).resolves.toBe('token-1');
    expect(env.events).toEqual(['wx.checkSession', 'wx.removeStorageSync ' + TOKEN_KEY, 'wx.login', 'request /api/login',
      'response /api/login 200', 'wx.setStorageSync ' + TOKEN_KEY]);
    expect(env.store.get(TOKEN_KEY)).toBe('token-1');
    expect(app.loggedIn).toBeInstanceOf(Promise);
    await expect(app.loggedIn).resolves.toBe('token-1');
  });
});
