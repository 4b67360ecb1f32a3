/**
 * The REST API and the peer protocol on Jetty 12: routes for search, items, explain, watchlists and health,
 * bounded search admission, bearer tokens, JSON encoding, and the HTTP client peers use for interactive queries
 * across instances. Calls search, store, explain and watchlist; service starts it.
 */
package io.clipstream.http;
