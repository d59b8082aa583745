// sin and cos to float32 accuracy. WGSL's builtins only promise an absolute error of 2^-11 on [-pi, pi] (and
// nothing outside), which GPUs and SwiftShader do use: enough to drift an RK4 step of Acrobot by 1e-2 from
// Gymnasium's float64. These follow Cephes' sinf/cosf: reduction by multiples of pi/2 in three parts
// (Cody-Waite; exact for |x| < 2^15 * pi/2), then minimax polynomials on [-pi/4, pi/4]. Error ~1e-7.
// Needs: nothing
// Provides: PRECISE_PIO2_1, PRECISE_PIO2_2, PRECISE_PIO2_3, PRECISE_TWO_OVER_PI, preciseSinCos, preciseSin, preciseCos

const PRECISE_PIO2_1: f32 = 1.5703125;
const PRECISE_PIO2_2: f32 = 4.837512969970703125e-4;
const PRECISE_PIO2_3: f32 = 7.54978995489188216e-8;
const PRECISE_TWO_OVER_PI: f32 = 0.636619772367581343;

// (sin x, cos x)
fn preciseSinCos(x: f32) -> vec2f {
  let j = round(x * PRECISE_TWO_OVER_PI);
  let y = ((x - j * PRECISE_PIO2_1) - j * PRECISE_PIO2_2) - j * PRECISE_PIO2_3;
  let z = y * y;
  let s = y + y * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let quadrant = i32(j) & 3;
  if (quadrant == 0) {
    return vec2f(s, c);
  }
  if (quadrant == 1) {
    return vec2f(c, -s);
  }
  if (quadrant == 2) {
    return vec2f(-s, -c);
  }
  return vec2f(-c, s);
}

fn preciseSin(x: f32) -> f32 {
  return preciseSinCos(x).x;
}

fn preciseCos(x: f32) -> f32 {
  return preciseSinCos(x).y;
}
