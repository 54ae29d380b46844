// Runs ../miniprogram inside WeChat's miniprogram-simulate (jest + jsdom).
//
// miniprogram-simulate provides the global `wx` (with inert stand-ins for its APIs), the custom-component
// framework (j-component on WeChat's exparser) and WeChat's own WXML compiler (wcc). It has no App/Page/getApp:
// App() is recorded as the app instance here, as WeChat does, and Page() is registered as a component whose
// methods are the page's functions, the way a page built with Component() works.
// The network, login and storage APIs that the code relies on are replaced on that global `wx` by recording
// stubs backed by a fake server, so the tests can check what was sent, with which header, and in which order.
const path = require('path');
const simulate = require('miniprogram-simulate');

// MINIPROGRAM_DIR runs the same tests against another copy, e.g. a deliberately broken one.
const MINIPROGRAM = path.resolve(process.env.MINIPROGRAM_DIR || path.join(__dirname, '../../miniprogram'));
const TOKEN_KEY = 'authToken';

/** Waits until every pending timer and promise callback has run (the stubs answer on timers). */
async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) {
    await simulate.sleep(0);
  }
}

/**
 * Replaces wx.login, wx.checkSession, wx.request and the storage APIs of simulate's `wx` with recording stubs.
 * @param {object} options
 * @param {Record<string, string>} [options.storage] what wx.getStorageSync finds at launch
 * @param {boolean} [options.sessionValid] whether wx.checkSession succeeds
 * @param {Record<string, (req: {data: any, header: Record<string, string>}) => {statusCode?: number, data?: any, fail?: string}>}
 *   [options.routes] the fake server, by path; /api/login answers {token, expiresIn, openid} unless replaced; {fail: errMsg}
 *   makes wx.request fail (no answer)
 */
function installWx({ storage = {}, sessionValid = true, routes = {} } = {}) {
  /** @type {string[]} every call and answer, in order */
  const events = [];
  /** @type {{path: string, method: string, header: Record<string, string>, data: any}[]} */
  const requests = [];
  const store = new Map(Object.entries(storage));
  /** @type {Map<string, Array<() => void>>} answers held back with hold(path) */
  const held = new Map();
  let codes = 0;
  let tokens = 0;

  const server = {
    '/api/login': ({ data }) => ({ statusCode: 200, data: { token: 'token-' + (++tokens), expiresIn: 1800, openid: 'openid-of-' + data.code } }),
    ...routes
  };

  const env = {
    events,
    requests,
    store,
    sessionValid,
    /** the next answers for this path wait until release(path) */
    hold(p) {
      held.set(p, held.get(p) || []);
    },
    release(p) {
      const pending = held.get(p) || [];
      held.delete(p);
      pending.forEach((answer) => answer());
    },
    route(p, handler) {
      server[p] = handler;
    },
    count(event) {
      return events.filter((e) => e === event).length;
    }
  };

  jest.spyOn(wx, 'getStorageSync').mockImplementation((key) => (store.has(key) ? store.get(key) : ''));
  jest.spyOn(wx, 'setStorageSync').mockImplementation((key, value) => {
    events.push('wx.setStorageSync ' + key);
    store.set(key, value);
  });
  jest.spyOn(wx, 'removeStorageSync').mockImplementation((key) => {
    events.push('wx.removeStorageSync ' + key);
    store.delete(key);
  });
  jest.spyOn(wx, 'checkSession').mockImplementation((options) => {
    events.push('wx.checkSession');
    setTimeout(() => {
      if (env.sessionValid) {
        options.success && options.success({ errMsg: 'checkSession:ok' });
      } else {
        options.fail && options.fail({ errMsg: 'checkSession:fail session time out, need relogin' });
      }
      options.complete && options.complete({});
    }, 0);
  });
  jest.spyOn(wx, 'login').mockImplementation((options) => {
    events.push('wx.login');
    const code = 'wx-code-' + (++codes);
    setTimeout(() => {
      options.success && options.success({ code, errMsg: 'login:ok' });
      options.complete && options.complete({});
    }, 0);
  });
  jest.spyOn(wx, 'request').mockImplementation((options) => {
    const url = new URL(options.url);
    const p = url.pathname;
    const request = { path: p, method: options.method || 'GET', header: { ...(options.header || {}) }, data: options.data };
    requests.push(request);
    events.push('request ' + p);
    const answer = () => {
      const handler = server[p];
      const res = handler ? handler(request) : { statusCode: 404, data: { error: 'not_found' } };
      if (res.fail) { // no answer at all: wx.request's fail, e.g. 'request:fail timeout'
        events.push('fail ' + p);
        options.fail && options.fail({ errMsg: res.fail, errno: 5 });
      } else {
        events.push('response ' + p + ' ' + res.statusCode);
        options.success && options.success({ statusCode: res.statusCode, data: res.data, header: {}, cookies: [], errMsg: 'request:ok' });
      }
      options.complete && options.complete({});
    };
    if (held.has(p)) {
      held.get(p).push(answer);
    } else {
      setTimeout(answer, 0);
    }
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
  });
  return env;
}

/**
 * Loads app.js afresh and launches it (App → onLaunch), as WeChat does before the first page.
 * @returns {any} the app instance, also what getApp() returns
 */
function launchApp() {
  jest.resetModules(); // app.js and the page are run anew for each test
  let app = null;
  global.App = (options) => {
    app = options;
  };
  global.getApp = () => app;
  global.Page = (options) => {
    const { data, ...rest } = options;
    /** @type {Record<string, Function>} */
    const methods = {};
    /** @type {Record<string, any>} */
    const other = {};
    Object.keys(rest).forEach((key) => {
      if (typeof rest[key] === 'function') {
        methods[key] = rest[key];
      } else {
        other[key] = rest[key];
      }
    });
    global.Component({ ...other, data, methods });
  };
  require(path.join(MINIPROGRAM, 'app.js'));
  if (!app) {
    throw new Error('app.js did not call App()');
  }
  app.onLaunch({ path: 'pages/index/index', query: {}, scene: 1001 });
  return app;
}

/**
 * Loads a page of the mini program with simulate (its wxml compiled by WeChat's wcc), renders it, and shows it.
 * @param {string} page e.g. 'pages/index/index'
 */
function openPage(page) {
  const id = simulate.load(path.join(MINIPROGRAM, page), { rootPath: MINIPROGRAM });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  const instance = comp.instance;
  if (typeof instance.onLoad === 'function') instance.onLoad({});
  if (typeof instance.onShow === 'function') instance.onShow();
  return comp;
}

/**
 * The first element rendered with this tag (e.g. 'wx-button'), as simulate's component wrapper: it has
 * dispatchEvent and toJSON. simulate's own querySelector takes only id and class selectors, which the page has not.
 */
function findElement(comp, tagName) {
  const dom = comp.dom.querySelector(tagName);
  if (!dom || !dom.__wxElement) {
    return null;
  }
  const Component = Object.getPrototypeOf(Object.getPrototypeOf(comp)).constructor; // j-component's Component
  return new Component(dom.__wxElement);
}

/** The rendered node of findElement as JSON: {tagName, attrs: {name: value}, events: {event: handler}}. */
function describeElement(comp, tagName) {
  const element = findElement(comp, tagName);
  if (!element) {
    return null;
  }
  const json = element.toJSON();
  /** @type {Record<string, any>} */
  const attrs = {};
  json.attrs.forEach((a) => {
    attrs[a.name] = a.value;
  });
  /** @type {Record<string, string>} */
  const events = {};
  Object.keys(json.event).forEach((name) => {
    events[name] = json.event[name].handler;
  });
  return { tagName: json.tagName, attrs, events };
}

/** The text a person sees on the rendered page, whitespace collapsed. */
function visibleText(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ').trim();
}

module.exports = {
  MINIPROGRAM, TOKEN_KEY, describeElement, findElement, installWx, launchApp, openPage, settle, simulate, visibleText
};
