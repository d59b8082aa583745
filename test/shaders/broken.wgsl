// Test kernel that must not compile (a float assigned to a u32): the error has to name this line.
@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }
