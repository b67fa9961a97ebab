# Varnish in front of `make serve` (README, "Production"). The site says what may be shared:
# public pages carry Cache-Control with s-maxage (Varnish's time to live) and
# stale-while-revalidate (its grace), an ETag and Last-Modified; previews, the admin and
# anything with a session say private or no-store, which Varnish's built-in logic never stores.
# Publication events ban what they change (commentaries/caching/frontcache.py): a BAN request from the
# site's worker, allowed from the addresses in acl purgers only.
vcl 4.1;

# The backend, written by whoever starts Varnish (make front, make bench, the tests):
#   backend default { .host = "127.0.0.1"; .port = "8001"; }
include "backend.vcl";

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
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

sub vcl_deliver {
    unset resp.http.X-Url;
}
