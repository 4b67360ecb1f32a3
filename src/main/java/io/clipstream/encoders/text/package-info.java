/**
 * Text to model input: the Hugging Face tokenizer (through DJL's native tokenizers library, loaded quietly and
 * from a cache under the project) into padded token ids. Imports only common; the encoders package drives it.
 */
package io.clipstream.encoders.text;
