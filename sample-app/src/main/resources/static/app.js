// The simulator: plays the mini program against this app (your server) and the embedded WeChat sandbox.
// Plain JavaScript, no build step. What a real mini program does is in sample-app/miniprogram/.
(function () {
  'use strict';

  var state = { sandbox: null, user: null, token: null, appId: null };

  function $(id) {
    return document.getElementById(id);
  }

  function pretty(value) {
    if (value === undefined || value === null || value === '') {
      return '';
    }
    if (typeof value === 'string') {
      try {
        return JSON.stringify(JSON.parse(value), null, 2);
      } catch (e) {
        return value;
      }
    }
    return JSON.stringify(value, null, 2);
  }

  function log(kind, title, request, response, failed) {
    var item = document.createElement('li');
    item.className = kind + (failed ? ' failed' : '');
    var who = document.createElement('div');
    who.className = 'who';
    who.textContent = (kind === 'server' ? 'mini program → your server: ' : 'WeChat (sandbox): ') + title;
    item.appendChild(who);
    var pre = document.createElement('pre');
    pre.textContent = request + (response ? '\n\n' + response : '');
    item.appendChild(pre);
    $('log').appendChild(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  // One HTTP call, logged with its request and response. Resolves to {status, body}; never rejects on 4xx/5xx.
  function call(kind, title, method, url, body, headers) {
    var allHeaders = {};
    var shownHeaders = '';
    if (body !== undefined) {
      allHeaders['Content-Type'] = 'application/json';
    }
    Object.keys(headers || {}).forEach(function (name) {
      allHeaders[name] = headers[name];
      shownHeaders += name + ': ' + headers[name] + '\n';
    });
    var requestText = method + ' ' + url + '\n' + shownHeaders + (body !== undefined ? pretty(body) : '');
    return fetch(url, {
      method: method,
      headers: allHeaders,
      body: body !== undefined ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        var responseText = 'HTTP ' + response.status + '\n' + pretty(text);
        log(kind, title, requestText, responseText, !response.ok);
        var parsed = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch (e) {
          parsed = null;
        }
        return { status: response.status, ok: response.ok, body: parsed };
      });
    }, function (error) {
      log(kind, title, requestText, 'network error: ' + error, true);
      throw error;
    });
  }

  function sandbox(title, path, body) {
    // Through this app's own port (SandboxProxyController): forwarding that one port is enough.
    return call('wechat', title, 'POST', path, body).then(function (result) {
      if (!result.ok) {
        throw new Error('the sandbox answered HTTP ' + result.status);
      }
      return result.body;
    });
  }

  function server(title, path, body) {
    var headers = {};
    if (state.token) {
      // The bearer token POST /api/login answered (RFC 6750): the only credential, no cookie.
      headers['Authorization'] = 'Bearer ' + state.token;
    }
    if (state.appId) {
      // A real mini program's requests carry Referer: https://servicewechat.com/{appid}/...; a page cannot set it.
      headers['X-WeChat-App-Id'] = state.appId;
    }
    return call('server', title, 'POST', path, body, headers);
  }

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function failure(result) {
    var body = result.body || {};
    status('HTTP ' + result.status + ' ' + (body.error || '') + ': ' + (body.detail || ''), true);
    if (result.status === 401 || body.error === 'invalid_data') {
      status($('status').textContent + ' (tap wx.login)', true);
    }
  }

  function refresh() {
    var ready = state.sandbox !== null;
    $('login').disabled = !ready;
    $('new-user').disabled = !ready;
    $('phone-code').disabled = !(ready && state.user);
    $('phone-encrypted').disabled = !(ready && state.user);
    $('werun').disabled = !(ready && state.user);
    $('share-info').disabled = !(ready && state.user);
    $('rotate').disabled = !(ready && state.user);
    $('logout').disabled = !state.token;
    $('user-openid').textContent = state.user ? state.user.openid : '(none yet: wx.login creates one)';
    $('user-phone').textContent = state.user ? state.user.phoneNumber : '';
    $('token').textContent = state.token || '';
  }

  function busy(button, work) {
    button.disabled = true;
    status('…', false);
    $('status').setAttribute('data-busy', 'true');
    return Promise.resolve()
      .then(work)
      .catch(function (error) {
        status(String(error && error.message ? error.message : error), true);
      })
      .then(function () {
        $('status').removeAttribute('data-busy');
        refresh();
      });
  }

  function ensureUser() {
    if (state.user) {
      return Promise.resolve(state.user);
    }
    return sandbox('a new user opens the mini program', '/sandbox/users', state.appId ? { appid: state.appId } : {}).then(function (user) {
      state.user = user;
      refresh();
      return user;
    });
  }

  // wx.login: WeChat gives the mini program a one-time login code, which goes to your server.
  function login() {
    return ensureUser().then(function (user) {
      return sandbox('wx.login() gives a login code', '/sandbox/users/' + encodeURIComponent(user.openid) + '/login-code', {});
    }).then(function (answer) {
      return server('POST /api/login', '/api/login', { code: answer.code });
    }).then(function (result) {
      if (!result.ok) {
        failure(result);
        return;
      }
      state.token = result.body.token;
      status('Logged in as ' + result.body.openid, false);
    });
  }

  function clearPhone() {
    $('phone-number').textContent = '';
    $('phone-number').removeAttribute('data-source');
  }

  function askPhone(source, payload) {
    return server('POST /api/phone', '/api/phone', payload).then(function (result) {
      if (!result.ok) {
        failure(result);
        return;
      }
      $('phone-number').textContent = result.body.phoneNumber;
      $('phone-number').setAttribute('data-source', source);
      status('Phone number verified by your server', false);
    });
  }

  // getPhoneNumber, current API: the button event carries a one-time detail.code.
  function phoneByCode() {
    clearPhone();
    return sandbox('user taps getPhoneNumber: detail.code', '/sandbox/users/' + encodeURIComponent(state.user.openid) + '/phone-code', {})
      .then(function (answer) {
        return askPhone('code', { code: answer.code });
      });
  }

  // getPhoneNumber, older API: the event carries detail.encryptedData and detail.iv, made with the session key.
  function phoneByEncryptedData() {
    clearPhone();
    return sandbox('user taps getPhoneNumber: detail.encryptedData, detail.iv', '/sandbox/users/' + encodeURIComponent(state.user.openid) + '/encrypted-phone', {})
      .then(function (answer) {
        return askPhone('encryptedData', { encryptedData: answer.encryptedData, iv: answer.iv });
      });
  }

  // Other open data (wx.getWeRunData, wx.getShareInfo): encrypted like the phone number, verified the same way.
  function openData(kind, sandboxAction, path, describe) {
    $('open-data').textContent = '';
    $('open-data').removeAttribute('data-kind');
    return sandbox('wx.' + (kind === 'werun' ? 'getWeRunData' : 'getShareInfo') + '(): encryptedData, iv',
      '/sandbox/users/' + encodeURIComponent(state.user.openid) + '/' + sandboxAction, {})
      .then(function (answer) {
        return server('POST ' + path, path, { encryptedData: answer.encryptedData, iv: answer.iv });
      }).then(function (result) {
        if (!result.ok) {
          failure(result);
          return;
        }
        $('open-data').textContent = describe(result.body);
        $('open-data').setAttribute('data-kind', kind);
        status('Open data verified by your server (watermark: this app, recent)', false);
      });
  }

  function weRun() {
    return openData('werun', 'encrypted-werun', '/api/werun', function (body) {
      var days = body.stepInfoList;
      var total = days.reduce(function (sum, day) { return sum + day.step; }, 0);
      return 'WeRun: ' + days.length + ' days, ' + total + ' steps, today ' + days[days.length - 1].step;
    });
  }

  function shareInfo() {
    return openData('share', 'encrypted-share-info', '/api/share-info', function (body) {
      return 'Group openGId: ' + body.openGId;
    });
  }

  function newUser() {
    state.user = null;
    state.token = null;
    clearPhone();
    return ensureUser().then(function () {
      status('New sandbox user: tap wx.login', false);
    });
  }

  function rotate() {
    return sandbox('WeChat issues a new session key', '/sandbox/users/' + encodeURIComponent(state.user.openid) + '/rotate-session-key', {})
      .then(function () {
        status('Session key rotated: encryptedData is now made with a key your server does not have', false);
      });
  }

  function bind(id, work) {
    $(id).addEventListener('click', function () {
      busy($(id), work);
    });
  }

  bind('login', login);
  bind('phone-code', phoneByCode);
  bind('phone-encrypted', phoneByEncryptedData);
  bind('werun', weRun);
  bind('share-info', shareInfo);
  bind('new-user', newUser);
  bind('rotate', rotate);
  // POST /api/logout revokes the token on the server; the session key stays, for the user's other devices.
  bind('logout', function () {
    return server('POST /api/logout', '/api/logout').then(function (result) {
      if (!result.ok) {
        failure(result);
        return;
      }
      state.token = null;
      status('Logged out: the token is revoked, so /api/phone now answers 401', false);
    });
  });
  $('app').addEventListener('change', function () {
    state.appId = $('app').value;
    busy($('new-user'), newUser);
  });
  $('clear-log').addEventListener('click', function () {
    $('log').textContent = '';
  });

  fetch('/sandbox-info').then(function (response) {
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    return response.json();
  }).then(function (info) {
    state.sandbox = info;
    $('mode').textContent = 'Sandbox mode: WeChat is simulated at ' + info.baseUrl +
      ', reached through this app under /sandbox/ (app id ' + info.appId + ')';
    (info.appIds || [info.appId]).forEach(function (appId) {
      var option = document.createElement('option');
      option.value = appId;
      option.textContent = appId + (appId === info.appId ? ' (default)' : '');
      $('app').appendChild(option);
    });
    state.appId = info.appId;
    $('app').disabled = false;
    refresh();
  }, function () {
    $('mode').textContent = 'Not in sandbox mode: this app talks to the real WeChat, so the simulator is off. ' +
      'Use a real mini program (see sample-app/miniprogram/).';
  });
}());
