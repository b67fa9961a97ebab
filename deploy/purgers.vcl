# Who may send BAN (deploy/varnish.vcl); written by deploy/varnish-config.
acl purgers {
    "127.0.0.1";
    "::1";
}
