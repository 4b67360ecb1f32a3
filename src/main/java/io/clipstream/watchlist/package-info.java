/**
 * Moderation watchlists: concept sets as a matrix of text or image vectors and the SIMD or scalar kernels that
 * score each new vector against every concept at once, with backfill requests for concepts added later. Imports
 * only the schema classes.
 */
package io.clipstream.watchlist;
