"""Accounts and access: another user gets 404 on every case route; reviewers read and comment;
CSRF; secure headers; the sign-in rate limit; the language switch."""
from __future__ import annotations

import re

from starlette.routing import Route

from assessor.web.security import USER_LIMIT

from .conftest import PASSWORD, Browser
from .interviews import fields_of


def alice_case(browser):
    alice = browser("alice")
    r = alice.post("/cases")
    case_id = r.url.path.rsplit("/", 1)[-1]
    f = fields_of(r.text)
    alice.post(f"/cases/{case_id}/answer", {**f, "action": "answer", "answer": "2024-05-31"})
    return alice, case_id


def case_routes(app):
    """Every route under /cases/{case_id}, with its methods (so a new route is covered too)."""
    out = []
    for route in app.routes:
        if isinstance(route, Route) and "{case_id}" in route.path:
            for method in sorted(route.methods - {"HEAD"}):
                out.append((method, route.path))
    return out


def test_another_paralegal_gets_404_on_every_case_route(app, browser):
    alice, case_id = alice_case(browser)
    version = fields_of(alice.get(f"/cases/{case_id}").text)["version"]
    bob = browser("bob")
    routes = case_routes(app)
    assert len(routes) >= 13
    urls = [(m, p.replace("{case_id}", case_id).replace("{fmt}", fmt))
            for m, p in routes for fmt in (("docx", "md", "html") if "{fmt}" in p else ("",))]
    for method, url in urls:
        if method == "GET":
            r = bob.get(url, params={"field": "decided_on", "lang": "zh"})
        else:
            r = bob.post(url, {"version": version, "field": "decided_on", "action": "answer",
                               "answer": "2020-01-01", "text": "mine now"})
        assert r.status_code == 404, (method, url, r.status_code)
        assert "2024-05-31" not in r.text
    # nothing changed, and bob's list does not show it
    assert "2024-05-31" in alice.get(f"/cases/{case_id}/case.yaml").text
    assert case_id not in bob.get("/cases").text
    assert alice.get(f"/cases/{case_id}/decision").status_code == 200


def test_a_reviewer_reads_and_comments_but_does_not_answer(browser):
    alice, case_id = alice_case(browser)
    rita = browser("rita")
    assert case_id in rita.get("/cases").text
    r = rita.get(f"/cases/{case_id}/decision")
    assert r.status_code == 200
    r = rita.post(f"/cases/{case_id}/comments", {"text": "Ask for the generation records."})
    assert r.status_code == 200 and "Ask for the generation records." in r.text
    assert "Ask for the generation records." in alice.get(f"/cases/{case_id}/decision").text
    # the interview screen sends a reviewer to the decision; answering is not theirs
    assert rita.get(f"/cases/{case_id}").url.path.endswith("/decision")
    f = fields_of(alice.get(f"/cases/{case_id}").text)
    assert rita.post(f"/cases/{case_id}/answer", {**f, "action": "back"}).status_code == 404
    assert rita.post(f"/cases/{case_id}/delete").status_code == 404
    assert rita.get(f"/cases/{case_id}/opinion.md").status_code == 200


def test_visitors_are_sent_to_sign_in(app, browser):
    alice, case_id = alice_case(browser)
    visitor = Browser(app)
    r = visitor.get(f"/cases/{case_id}/case.yaml")
    assert r.url.path == "/login" and "2024-05-31" not in r.text
    assert visitor.get("/").status_code == 200 and 'action="/login"' in visitor.get("/").text


def test_csrf_is_required_on_every_form(app, browser):
    alice, case_id = alice_case(browser)
    f = fields_of(alice.get(f"/cases/{case_id}").text)
    for token in (None, "forged"):
        data = {**f, "action": "answer", "answer": "1"}
        if token:
            data["csrf"] = token
        r = alice.client.post(f"/cases/{case_id}/answer", data=data)
        assert r.status_code == 403
        r = alice.client.post("/cases", data={} if token is None else {"csrf": token})
        assert r.status_code == 403
    # the token of another session does not work either
    bob = browser("bob")
    assert alice.client.post(f"/cases/{case_id}/delete", data={"csrf": bob.csrf}).status_code == 403
    assert alice.get(f"/cases/{case_id}/decision").status_code == 200
    # every form on the pages carries the token
    for url in ("/cases", f"/cases/{case_id}", f"/cases/{case_id}/review", f"/cases/{case_id}/decision",
                f"/cases/{case_id}/delete"):
        html = alice.get(url).text
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S)
        assert forms and all('name="csrf"' in form for form in forms), url


def test_secure_headers_and_cookie(app, browser):
    visitor = Browser(app)
    r = visitor.get("/login")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_sign_in_is_rate_limited(app, browser):
    b = Browser(app)
    for _ in range(USER_LIMIT):
        r = b.sign_in("alice", "wrong password")
        assert r.status_code == 401
    r = b.sign_in("alice")  # even the right password, until the window passes
    assert r.status_code == 429
    assert browser("bob").get("/cases").status_code == 200  # another account is not locked out


def test_a_wrong_password_and_sign_out(app):
    b = Browser(app)
    assert b.sign_in("nobody", PASSWORD).status_code == 401
    assert b.sign_in("alice").url.path == "/cases"
    r = b.post("/logout")
    assert r.url.path == "/login"
    assert b.get("/cases").url.path == "/login"


def test_a_visitor_sees_the_browsers_language_until_choosing(app):
    visitor = Browser(app)
    assert "登录" in visitor.get("/login").text
    assert "Sign in" in visitor.get("/login", headers={"accept-language": "en-GB,en;q=0.8"}).text
    visitor.post("/lang", {"lang": "zh", "next": "/login"})
    assert "登录" in visitor.get("/login", headers={"accept-language": "en-GB"}).text


def test_language_switch_is_per_user(browser):
    alice = browser("alice")
    assert "我的案件" in alice.get("/cases").text
    alice.post("/lang", {"lang": "en", "next": "/cases"})
    assert "My cases" in alice.get("/cases").text
    assert "我的案件" in browser("alice").get("/cases").text or "My cases" in browser("alice").get("/cases").text
