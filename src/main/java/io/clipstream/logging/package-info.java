/**
 * Rate-limited logging for the paths that can fail once per record (a bad URL, a refused event), so that a flood
 * of bad input cannot flood the log. Imports nothing of the service.
 */
package io.clipstream.logging;
