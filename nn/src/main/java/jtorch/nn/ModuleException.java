package jtorch.nn;

/**
 * An error raised inside a module's {@code forward}, prefixed with where in the model it happened:
 * {@code in features.3 (Conv2d(6, 16, ...)): <the original message>}. The path is the module's
 * dotted name in its model, as {@link Module#namedModules()} lists it. Containers call their
 * children through {@link Module#call(jtorch.Tensor)}, which adds this context; the innermost
 * failing module is the one named.
 */
public class ModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failing module's dotted path in its model ({@code ""} for the model itself). */
    private final String path;
    /** The original message, without the path prefix. */
    private final String detail;

    ModuleException(String path, String moduleRepr, String detail, Throwable cause) {
        super("in " + path + " (" + moduleRepr + "): " + detail, cause);
        this.path = path;
        this.detail = detail;
    }

    /** The dotted path of the failing module, e.g. {@code features.3}. */
    public String path() { return path; }

    /** The original message, without the location. */
    public String detail() { return detail; }

    /** {@code e}, thrown by {@code module}'s forward, located by the module's path and repr. */
    static ModuleException of(Module module, RuntimeException e) {
        String repr = module.toString();
        int nl = repr.indexOf('\n');
        String path = module.path();
        return new ModuleException(path.isEmpty() ? Module.displayName(module.getClass()) : path,
                nl < 0 ? repr : repr.substring(0, nl) + "...)", String.valueOf(e.getMessage()), e);
    }
}
