package jtorch;

/** The in-place modification count shared by a tensor and its views ({@code tensor._version}). */
final class VersionCounter {
    long value;
}
