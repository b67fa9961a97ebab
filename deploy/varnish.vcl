# Varnish in front of `make serve` (README, "Production"). The site says what may be shared:
# public pages carry Cache-Control with s-maxage (Varnish's time to live) and
# stale-while-revalidate (its grace), an ETag and Last-Modified; previews, the admin and
# anything with a session say private or no-store, which Varnish's built-in logic never stores.
# Publication events ban what they change (commentaries/caching/frontcache.py): a BAN request from
# the site's workers, allowed from the addresses in acl purgers only.
#
# HTTPS: a TLS terminator in front (hitch, HAProxy with send-proxy, nginx's proxy_protocol)
# hands readers' connections to a listener named tls that speaks the PROXY protocol, e.g.
# `varnishd -a :80 -a tls=127.0.0.1:8443,PROXY ...`. Varnish then sets X-Forwarded-Proto itself
# (https on that listener, nothing elsewhere) and client.ip is the reader's, so the
# X-Forwarded-For that Varnish appends names the reader (DJANGO_PROXY_COUNT=1).
vcl 4.1;

# The backend, written by whoever starts Varnish (make front, make bench, the tests; or
# deploy/varnish-config --backend HOST:PORT DIR):
#   backend default { .host = "127.0.0.1"; .port = "8001"; }
# or, for several web hosts (deploy/varnish-config --backend HOST:PORT,HOST:PORT --host NAME),
# one backend each with a health probe and a round-robin director over those that answer,
# which the file's own vcl_recv names as the backend (run before the one below), and its
# vcl_backend_fetch sends a retry to the host after the one that failed.
include "backend.vcl";

# acl purgers: who may send BAN (the site's task workers). deploy/purgers.vcl allows loopback;
# deploy/varnish-config writes one from FRONT_CACHE_PURGE_FROM into a directory put before
# deploy/ on vcl_path, e.g. -p vcl_path=/etc/varnish/site:/srv/site/deploy.
include "purgers.vcl";

sub vcl_recv {
    # Whether the reader's connection was TLS is Varnish's to say, never a client's: with
    # DJANGO_HTTPS=1 the site builds its addresses from this header, and the pages it makes are
    # shared by every reader.
    if (local.socket == "tls") {
        set req.http.X-Forwarded-Proto = "https";
    } else {
        unset req.http.X-Forwarded-Proto;
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # X-Ban-Path: a regular expression over paths; every stored answer whose path matches
        # is dropped (stored answers carry their path in X-Url, so the ban lurker can test them).
        if (!req.http.X-Ban-Path) {
            return (synth(400, "X-Ban-Path required"));
        }
        ban("obj.http.X-Url ~ " + req.http.X-Ban-Path);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Readers with a session (staff, who may see previews) always reach the site. Other cookies
    # mean nothing to public pages: dropping them lets every reader share one stored answer.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Browsers send many Accept headers; feeds only tell browsers (text/html first) from feed
    # readers, so two variants are enough.
    if (req.http.Accept ~ "^text/html") {
        set req.http.Accept = "text/html";
    } else {
        unset req.http.Accept;
    }
}

sub vcl_hash {
    # An https page and a plain one are stored apart (then the built-in URL and host).
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    set beresp.http.X-Url = bereq.url;
    # The site says what may be shared. Anything without Cache-Control (search, a 404 for a
    # draft that may be published a minute later, health checks) is asked for every time.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_backend_error {
    # No answer from the web host (it died, or was stopped, before its probe noticed): ask
    # again; backend.vcl sends the retry to another host (one named after X-Failed-Backend).
    # Only requests that may be repeated.
    if (bereq.retries < 2 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        set bereq.http.X-Failed-Backend = beresp.backend.name;
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.X-Url;
}
