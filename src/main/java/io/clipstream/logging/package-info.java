/**
 * Logging that keeps the log readable: rate-limited warnings for the paths that can fail once per record (a bad
 * URL, a refused event), so that a flood of bad input cannot flood the log, and the switch that lets DJL's CUDA probe
 * speak only when CUDA was asked for. Imports nothing of the service; encoders, fetch, search and topology use it.
 */
package io.clipstream.logging;
