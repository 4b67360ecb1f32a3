package io.clipstream.cli;

import io.clipstream.encoders.text.TextTokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `clipstream tokenize`: one line of token ids (no start/end tokens) per line of input. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print, for each line of the input file, its token ids separated by spaces (without start and end tokens).")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, description = "A Hugging Face tokenizer.json.")
    Path tokenizer;

    @Option(names = "--input", required = true, description = "A UTF-8 text file, one text per line.")
    Path input;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TextTokenizer tokens = TextTokenizer.open(tokenizer, Integer.MAX_VALUE);
             BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                long[] ids = tokens.ids(line);
                StringBuilder text = new StringBuilder(ids.length * 6);
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        text.append(' ');
                    }
                    text.append(ids[i]);
                }
                out.println(text);
            }
        }
        out.flush();
        return 0;
    }
}
