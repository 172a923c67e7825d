/**
 * jtorch's internal access to {@link jtorch.Tensor}'s state for op implementations; exported only
 * to jtorch's own modules.
 */
package jtorch.internal;
