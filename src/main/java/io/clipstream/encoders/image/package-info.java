/**
 * Bytes to model input: safe decoding of untrusted image bytes under DecodeLimits (ImageDecoder, format sniffing,
 * EXIF orientation), Pillow-exact resampling and colour conversion, the CLIP crop and normalisation, and
 * thumbnails. Imports only common; the encoders package drives it.
 */
package io.clipstream.encoders.image;
