<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS or Atom feed opened in a browser as a page that says how to subscribe.
     Feed readers ignore it. Uses the site's stylesheet, at its unhashed address. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="address"
    select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> · web feed</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap">
            <a class="site-name" href="{$home}"><xsl:value-of select="$title"/></a>
          </div>
        </header>
        <main id="main" class="wrap">
          <h1 class="page-title"><xsl:value-of select="$title"/></h1>
          <p class="lede">This is a web feed. Subscribe to it in a feed reader and every new
            commentary reaches you in full as soon as it is published: no account, no e-mail.</p>
          <section class="key-points-box" aria-labelledby="how">
            <h2 id="how">How to subscribe</h2>
            <ol>
              <li>Copy this page's address: <code><xsl:value-of select="$address"/></code></li>
              <li>Paste it into your feed reader's "add feed" or "subscribe" box (for example
                NetNewsWire, Feedly, Inoreader or Thunderbird).</li>
            </ol>
          </section>
          <h2>Latest in this feed</h2>
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          <p class="more"><a href="{$home}">Read them on the site</a></p>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="card">
      <xsl:with-param name="link" select="link"/>
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="date" select="substring(pubDate, 6, 11)"/>
      <xsl:with-param name="byline" select="dc:creator"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:call-template name="card">
      <xsl:with-param name="link" select="atom:link[@rel='alternate']/@href"/>
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="date" select="substring(atom:published, 1, 10)"/>
      <xsl:with-param name="byline" select="atom:author/atom:name"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="card">
    <xsl:param name="link"/>
    <xsl:param name="title"/>
    <xsl:param name="date"/>
    <xsl:param name="byline"/>
    <article class="card">
      <p class="meta"><xsl:value-of select="$date"/></p>
      <h3 class="card-title"><a href="{$link}"><xsl:value-of select="$title"/></a></h3>
      <p class="byline">
        <xsl:for-each select="$byline">
          <xsl:if test="position() &gt; 1">, </xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
    </article>
  </xsl:template>
</xsl:stylesheet>
