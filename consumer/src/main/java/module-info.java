/** The consumer check as an application module: jtorch on the module path, no JVM flags. */
module jtorch.consumer {
    requires jtorch.nn;
    requires jtorch.optim;
    requires jdk.management; // com.sun.management's process CPU time
}
