/**
 * The sign-in page (`GET /login`), zh-CN: a form that posts JSON to `/api/auth/login` and, once the
 * session cookie is set, goes to the map (or to `?next=` when it is a path on this site). Kept
 * apart from the map's bundle (web/client) so it loads before anyone is signed in.
 */
export const LOGIN_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 舟山渔船监控指挥</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #0b1d2e; color: #e6edf3;
         font: 15px/1.5 "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif; }
  form { width: 20rem; padding: 2rem; background: #13293d; border-radius: 8px; box-shadow: 0 4px 24px #0008; }
  h1 { font-size: 1.25rem; margin: 0 0 1.5rem; }
  label { display: block; margin: 0 0 1rem; }
  input { box-sizing: border-box; width: 100%; margin-top: .25rem; padding: .5rem; border: 1px solid #3b5468;
          border-radius: 4px; background: #0b1d2e; color: inherit; font: inherit; }
  button { width: 100%; padding: .6rem; border: 0; border-radius: 4px; background: #1f6feb; color: #fff; font: inherit; cursor: pointer; }
  button:disabled { opacity: .6; }
  #error { min-height: 1.5em; margin: 0 0 1rem; color: #ff7b72; }
</style>
</head>
<body>
<form id="login" autocomplete="on">
  <h1>舟山渔船监控指挥 · 登录</h1>
  <label>用户名<input id="username" name="username" autocomplete="username" required autofocus></label>
  <label>密码<input id="password" name="password" type="password" autocomplete="current-password" required></label>
  <p id="error" role="alert"></p>
  <button id="submit" type="submit">登录</button>
</form>
<script>
  const form = document.getElementById('login');
  const error = document.getElementById('error');
  const submit = document.getElementById('submit');
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const r = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      });
      if (r.ok) { location.assign(target); return; }
      const wait = r.headers.get('retry-after');
      error.textContent = r.status === 429 ? '尝试次数过多，请 ' + Math.ceil(Number(wait || 60) / 60) + ' 分钟后再试'
        : r.status === 401 ? '用户名或密码错误' : '登录失败（' + r.status + '）';
    } catch {
      error.textContent = '无法连接服务器';
    } finally {
      submit.disabled = false;
    }
  });
</script>
</body>
</html>
`;
