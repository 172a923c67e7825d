package jtorch.nn;

/**
 * An error raised inside a module's {@code forward}, prefixed with where in the model it happened:
 * {@code in features.3 (Conv2d(6, 16, ...)): <the original message>}. Containers add their
 * child's name as the error passes through them, so the path is the dotted name of
 * {@link Module#namedModules()}.
 */
public class ModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String moduleRepr;
    private final String detail;

    ModuleException(String path, String moduleRepr, String detail, Throwable cause) {
        super("in " + path + " (" + moduleRepr + "): " + detail, cause);
        this.path = path;
        this.moduleRepr = moduleRepr;
        this.detail = detail;
    }

    /** The dotted path of the failing module, e.g. {@code features.3}. */
    public String path() { return path; }

    /** The original message, without the location. */
    public String detail() { return detail; }

    /** Wraps {@code e}, thrown by child {@code name} = {@code child}, or extends its path if already wrapped. */
    static ModuleException wrap(String name, Module child, RuntimeException e) {
        if (e instanceof ModuleException) {
            ModuleException m = (ModuleException) e;
            return new ModuleException(name + "." + m.path, m.moduleRepr, m.detail, m.getCause());
        }
        String repr = child.toString();
        int nl = repr.indexOf('\n');
        return new ModuleException(name, nl < 0 ? repr : repr.substring(0, nl) + "...)", String.valueOf(e.getMessage()), e);
    }
}
