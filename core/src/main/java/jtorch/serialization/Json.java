package jtorch.serialization;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that safetensors headers need, strictly by RFC 8259: objects (as insertion-ordered
 * maps, duplicate names refused), arrays, strings, integers ({@link Long}, or {@link BigInteger}
 * beyond), other numbers ({@link BigDecimal}), booleans and null. No comments, trailing commas,
 * unescaped control characters, lone surrogates or trailing text.
 */
final class Json {
    private Json() {}

    /** Where and why a header is not valid JSON. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message, int position) {
            super(message + " at character " + position);
        }
    }

    private static final int MAX_DEPTH = 64;

    /** Parses a whole document; only whitespace may follow the value. */
    static Object parse(String text) throws SyntaxException {
        Json.Parser p = new Json.Parser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw new SyntaxException("unexpected text after the JSON value", p.pos);
        return value;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) { this.s = s; }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
                pos++;
            }
        }

        private SyntaxException error(String message) { return new SyntaxException(message, pos); }

        private char peek() throws SyntaxException {
            if (pos >= s.length()) throw error("unexpected end of the JSON text");
            return s.charAt(pos);
        }

        private void expect(char c) throws SyntaxException {
            if (peek() != c) throw error("expected '" + c + "' but found '" + describe(s.charAt(pos)) + "'");
            pos++;
        }

        Object value(int depth) throws SyntaxException {
            if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
            char c = peek();
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': literal("true"); return Boolean.TRUE;
                case 'f': literal("false"); return Boolean.FALSE;
                case 'n': literal("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected character '" + describe(c) + "'");
            }
        }

        private void literal(String word) throws SyntaxException {
            if (!s.startsWith(word, pos)) throw error("invalid literal (expected " + word + ")");
            pos += word.length();
        }

        private Map<String, Object> object(int depth) throws SyntaxException {
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') { pos++; return map; }
            while (true) {
                skipWhitespace();
                int at = pos;
                if (peek() != '"') throw error("expected a quoted member name");
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object v = value(depth + 1);
                if (map.containsKey(name)) throw new SyntaxException("duplicate member name \"" + Messages.clip(name) + "\"", at);
                map.put(name, v);
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') return map;
                if (c != ',') { pos--; throw error("expected ',' or '}' in an object"); }
            }
        }

        private List<Object> array(int depth) throws SyntaxException {
            expect('[');
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') { pos++; return list; }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') return list;
                if (c != ',') { pos--; throw error("expected ',' or ']' in an array"); }
            }
        }

        private String string() throws SyntaxException {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') return b.toString();
                if (c < 0x20) { pos--; throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string"); }
                if (Character.isSurrogate(c)) {
                    // the header was decoded from UTF-8, so a raw surrogate always comes in a valid pair
                    b.append(c);
                    continue;
                }
                if (c != '\\') { b.append(c); continue; }
                char e = peek();
                pos++;
                switch (e) {
                    case '"': b.append('"'); break;
                    case '\\': b.append('\\'); break;
                    case '/': b.append('/'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u': {
                        char u = hex4();
                        if (Character.isHighSurrogate(u)) {
                            if (!s.startsWith("\\u", pos)) throw error("unpaired surrogate \\u" + hex(u) + " in a string");
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) throw error("unpaired surrogate \\u" + hex(u) + " in a string");
                            b.append(u).append(low);
                        } else if (Character.isLowSurrogate(u)) {
                            throw error("unpaired surrogate \\u" + hex(u) + " in a string");
                        } else {
                            b.append(u);
                        }
                        break;
                    }
                    default: pos--; throw error("invalid escape '\\" + describe(e) + "' in a string");
                }
            }
        }

        private char hex4() throws SyntaxException {
            if (pos + 4 > s.length()) throw error("truncated \\u escape");
            int v = 0;
            for (int i = 0; i < 4; i++) {
                char h = s.charAt(pos + i);
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) throw error("invalid \\u escape");
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Number number() throws SyntaxException {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid number");
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) throw error("invalid number (leading zero)");
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            boolean integer = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integer = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid number (no digit after '.')");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integer = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid number (no digit in the exponent)");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            String text = s.substring(start, pos);
            if (!integer) return new BigDecimal(text);
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Number) big.longValue() : big;
        }

        private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
    }

    private static String hex(char c) { return String.format("%04x", (int) c); }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? "U+" + String.format("%04X", (int) c) : String.valueOf(c);
    }

    // ------------------------------------------------------------------ writing

    /**
     * {@code s} as a JSON string literal, escaped as serde_json (the reference safetensors writer)
     * escapes: quote, backslash and control characters only; other characters stay as they are.
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
