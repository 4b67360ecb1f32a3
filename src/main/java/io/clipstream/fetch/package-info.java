/**
 * Image URLs to bytes for the embedder: the SSRF policy (UrlPolicy, private address ranges, allowed hosts),
 * pinned-address HTTP GETs with size, time and redirect limits, a bounded keep-alive connection pool, per-host
 * gates and circuit breakers so that one slow host cannot hold up the others. Called by the embedder topology;
 * imports encoders.image and common only.
 */
package io.clipstream.fetch;
