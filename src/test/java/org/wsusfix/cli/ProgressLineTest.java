package org.wsusfix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void barWhenTheTotalIsKnownCountWhenNot() {
    assertEquals(
        "[############------------]  50% 5,010 of 10,020 below C:\\bench",
        ProgressLine.render("below C:\\bench", 5010, 10020));
    assertEquals(
        "[########################] 100% 10,020 of 10,020 below C:\\bench",
        ProgressLine.render("below C:\\bench", 10020, 10020));
    assertEquals(
        "[------------------------]   0% 0 of 3 below C:\\x",
        ProgressLine.render("below C:\\x", 0, 3));
    assertEquals("below C:\\bench: 4,096 so far", ProgressLine.render("below C:\\bench", 4096, -1));
  }

  @Test
  void redrawsInPlaceThenErasesItself() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
    line.walked("below C:\\bench", 1000, -1);
    line.walked("below C:\\bench", 2000, -1);
    line.finished();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(
        "\rbelow C:\\bench: 1,000 so far\rbelow C:\\bench: 2,000 so far\r" + " ".repeat(28) + "\r",
        out);
  }

  @Test
  void drawsAtMostOnceAPeriodAndLeavesNothingWhenNeverDrawn() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line =
        new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60_000_000_000L);
    line.walked("below C:\\a", 1, 10);
    line.walked("below C:\\a", 2, 10);
    line.walked("below C:\\a", 3, 10);
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        drawn.contains("1 of 10") && !drawn.contains("2 of 10") && !drawn.contains("3 of 10"),
        drawn);
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    new ProgressLine(new PrintStream(none, true, StandardCharsets.UTF_8), 0).finished();
    assertEquals("", none.toString(StandardCharsets.UTF_8));
  }
}
