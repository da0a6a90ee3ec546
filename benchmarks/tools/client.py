#!/usr/bin/env python3
"""HTTP helpers for run.sh: create sessions, sum their counts, drive a fixed number of requests.

    client.py freeport
    client.py precreate BASE_URL N COOKIE_FILE   # N x GET /count without cookies; one "name=value" a line
    client.py sum BASE_URL COOKIE_FILE           # sum of GET /read over those sessions
    client.py drive BASE_URL PATH COOKIE_FILE N  # N sequential GETs, the sessions taken in turn
"""
import http.client
import socket
import sys
from urllib.parse import urlsplit


def connection(base):
    url = urlsplit(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def get(conn, path, cookie=None):
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode()
    return response.status, response.getheader("Set-Cookie"), body


def freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def precreate(base, n, out):
    conn = connection(base)
    cookies = []
    for _ in range(int(n)):
        status, set_cookie, _ = get(conn, "/count")
        if status != 200 or not set_cookie:
            sys.exit(f"/count answered {status} without a session cookie")
        cookies.append(set_cookie.split(";", 1)[0].strip())
    with open(out, "w") as f:
        f.write("\n".join(cookies) + "\n")


def read_cookies(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def total(base, cookie_file):
    conn = connection(base)
    result = 0
    for cookie in read_cookies(cookie_file):
        status, _, body = get(conn, "/read", cookie)
        if status != 200:
            sys.exit(f"/read answered {status}")
        result += int(body)
    print(result)


def drive(base, path, cookie_file, n):
    conn = connection(base)
    cookies = read_cookies(cookie_file)
    failed = 0
    for i in range(int(n)):
        status, _, _ = get(conn, path, cookies[i % len(cookies)])
        failed += status != 200
    if failed:
        sys.exit(f"{failed} of {n} requests to {path} failed")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"freeport": freeport, "precreate": precreate, "sum": total, "drive": drive}[command](*args)
