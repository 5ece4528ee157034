// tests/test_transforms.cpp — data/transforms*: the deterministic core of every per-example
// transform against torchvision 0.14 (flips, rot90, the pad modes, crops, bilinear resize, the
// resized crop of a given box, grayscale, the ColorJitter blends, Gaussian blur, Normalize, the
// reprs), the random decisions statistically (flip frequency within 4σ, factors and boxes within
// their ranges, every outcome reached), the number of generator draws, determinism for a seed,
// composition, classes_below, and bad input (messages checked).
//
// The `reference` literals are the output of tests/reference/transforms.py (torch 1.13,
// torchvision 0.14), pasted verbatim; the test images are rebuilt here by the same formulas:
//   pattern(c, h, w):     f32, flat element k = ((37 k + 11) mod 101) / 100
//   pattern_u8(c, h, w):  u8,  flat element k = (37 k + 11) mod 256
//   index_image(c, h, w): f32, flat element k = k (a rearrangement prints its source indices)
// Rearrangements, u8 results and normalize match exactly; other float arithmetic within 2.5e-7
// (kFloatTolerance below).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"

using namespace fulcrum;
using namespace fulcrum::data;

namespace reference {
// ---- rearrangements of index_image(2, 3, 4) ----
const std::vector<double> hflip_index = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20};  // [2, 3, 4]
const std::vector<double> vflip_index = {8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3, 20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15};  // [2, 3, 4]
const std::vector<double> rot90_index_1 = {3, 7, 11, 2, 6, 10, 1, 5, 9, 0, 4, 8, 15, 19, 23, 14, 18, 22, 13, 17, 21, 12, 16, 20};  // [2, 4, 3]
const std::vector<double> rot90_index_2 = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12};  // [2, 3, 4]
const std::vector<double> rot90_index_3 = {8, 4, 0, 9, 5, 1, 10, 6, 2, 11, 7, 3, 20, 16, 12, 21, 17, 13, 22, 18, 14, 23, 19, 15};  // [2, 4, 3]
const std::vector<double> rot90_index_minus1 = {8, 4, 0, 9, 5, 1, 10, 6, 2, 11, 7, 3, 20, 16, 12, 21, 17, 13, 22, 18, 14, 23, 19, 15};  // [2, 4, 3]
const std::vector<double> pad_constant_index = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, -1, -1, -1, 4, 5, 6, 7, -1, -1, -1, 8, 9, 10, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 12, 13, 14, 15, -1, -1, -1, 16, 17, 18, 19, -1, -1, -1, 20, 21, 22, 23, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};  // [2, 6, 7]
const std::vector<double> pad_edge_index = {0, 0, 0, 1, 2, 3, 3, 0, 0, 0, 1, 2, 3, 3, 4, 4, 4, 5, 6, 7, 7, 8, 8, 8, 9, 10, 11, 11, 8, 8, 8, 9, 10, 11, 11, 8, 8, 8, 9, 10, 11, 11, 12, 12, 12, 13, 14, 15, 15, 12, 12, 12, 13, 14, 15, 15, 16, 16, 16, 17, 18, 19, 19, 20, 20, 20, 21, 22, 23, 23, 20, 20, 20, 21, 22, 23, 23, 20, 20, 20, 21, 22, 23, 23};  // [2, 6, 7]
const std::vector<double> pad_reflect_index = {6, 5, 4, 5, 6, 7, 6, 2, 1, 0, 1, 2, 3, 2, 6, 5, 4, 5, 6, 7, 6, 10, 9, 8, 9, 10, 11, 10, 6, 5, 4, 5, 6, 7, 6, 2, 1, 0, 1, 2, 3, 2, 18, 17, 16, 17, 18, 19, 18, 14, 13, 12, 13, 14, 15, 14, 18, 17, 16, 17, 18, 19, 18, 22, 21, 20, 21, 22, 23, 22, 18, 17, 16, 17, 18, 19, 18, 14, 13, 12, 13, 14, 15, 14};  // [2, 6, 7]
const std::vector<double> pad_symmetric_index = {1, 0, 0, 1, 2, 3, 3, 1, 0, 0, 1, 2, 3, 3, 5, 4, 4, 5, 6, 7, 7, 9, 8, 8, 9, 10, 11, 11, 9, 8, 8, 9, 10, 11, 11, 5, 4, 4, 5, 6, 7, 7, 13, 12, 12, 13, 14, 15, 15, 13, 12, 12, 13, 14, 15, 15, 17, 16, 16, 17, 18, 19, 19, 21, 20, 20, 21, 22, 23, 23, 21, 20, 20, 21, 22, 23, 23, 17, 16, 16, 17, 18, 19, 19};  // [2, 6, 7]
const std::vector<double> crop_inside_index = {5, 6, 7, 9, 10, 11, 17, 18, 19, 21, 22, 23};  // [2, 2, 3]
const std::vector<double> crop_outside_index = {0, 0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0, 15, 16, 0, 0, 19, 20, 0, 0};  // [2, 3, 4]
const std::vector<double> center_crop_2x3_index = {0, 1, 2, 4, 5, 6, 12, 13, 14, 16, 17, 18};  // [2, 2, 3]
const std::vector<double> center_crop_5x7_index = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 9, 10, 11, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 13, 14, 15, 16, 0, 0, 0, 17, 18, 19, 20, 0, 0, 0, 21, 22, 23, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // [2, 5, 7]
// ---- bilinear resize (antialias=False) of pattern(3, 4, 5) ----
const std::vector<double> resize_3x7 = {0.25, 0.36523813, 0.557380974, 0.821666598, 0.364523768, 0.340238124, 0.551666677, 0.86500001, 0.499285668, 0.330714285, 0.594999969, 0.498571455, 0.402142853, 0.324999988, 0.638333321, 0.75357151, 0.705238163, 0.36833334, 0.632619083, 0.464047521, 0.0983333141, 0.411666662, 0.623095214, 0.598809481, 0.141666681, 0.405952424, 0.670238137, 0.88166666, 0.185000002, 0.396428555, 0.51642859, 0.420000017, 0.323571414, 0.443571448, 0.654999971, 0.800000072, 0.530476213, 0.434047639, 0.698333263, 0.241190404, 0.216904774, 0.428333312, 0.741666675, 0.472142845, 0.327619076, 0.471666664, 0.735952437, 0.567380905, 0.201666668, 0.514999986, 0.726428568, 0.702142835, 0.24500002, 0.509285688, 0.557142854, 0.480000049, 0.288333297, 0.499761909, 0.715952396, 0.860000014, 0.52309525, 0.546904802, 0.758333325};  // [3, 3, 7]
const std::vector<double> resize_7x3 = {0.233333319, 0.849999964, 0.456666619, 0.413095236, 0.78928566, 0.395952314, 0.70071429, 0.692142785, 0.298809469, 0.651666641, 0.594999909, 0.370000035, 0.578571439, 0.497857064, 0.441190511, 0.673809528, 0.400714248, 0.344047636, 0.733333349, 0.340000033, 0.283333391, 0.563333333, 0.170000032, 0.786666632, 0.502619028, 0.109285735, 0.725952327, 0.405476183, 0.0121428892, 0.628809512, 0.308333308, 0.420000076, 0.531666636, 0.259285748, 0.827857077, 0.434523761, 0.546904862, 0.730714202, 0.337380886, 0.726666689, 0.669999957, 0.276666611, 0.556666672, 0.49999997, 0.443333387, 0.616190493, 0.439285696, 0.382619083, 0.711428642, 0.34214288, 0.285476267, 0.638333321, 0.24500002, 0.525000095, 0.541190505, 0.220000133, 0.764523804, 0.4440476, 0.700000167, 0.667380929, 0.383333325, 1, 0.606666684};  // [3, 7, 3]
const std::vector<double> resize_smaller_edge_2 = {0.428749979, 0.217499986, 0.59375, 0.63499999, 0.632500052, 0.547500014, 0.418749988, 0.207499996, 0.58375001, 0.625, 0.622500062, 0.537499964};  // [3, 2, 2]
const std::vector<double> resize_u8_5x6 = {11, 39, 70, 100, 131, 159, 141, 168, 95, 51, 82, 109, 160, 188, 144, 122, 121, 52, 104, 131, 162, 193, 179, 73, 54, 82, 113, 143, 174, 202, 239, 75, 42, 72, 103, 131, 189, 159, 171, 127, 54, 81, 132, 160, 191, 169, 125, 152, 76, 103, 134, 165, 196, 224, 26, 54, 85, 115, 146, 174, 211, 239, 120, 44, 75, 103, 161, 189, 175, 174, 160, 53, 104, 132, 163, 194, 193, 124, 125, 95, 106, 137, 168, 196, 254, 90, 57, 87, 118, 146};  // [3, 5, 6]
const std::vector<double> resized_crop_1_2_3_3_to_4x5 = {0.680000007, 0.423999995, 0.0400000215, 0.262000024, 0.409999996, 0.573750019, 0.570249975, 0.564999938, 0.408249974, 0.303749979, 0.446249992, 0.594249964, 0.816249907, 0.432249963, 0.176249996, 0.340000004, 0.488000005, 0.709999919, 0.325999945, 0.0700000003, 0, 0.148000017, 0.370000035, 0.592000008, 0.74000001, 0.524999976, 0.420499951, 0.263750017, 0.48575002, 0.633749962, 0.776250005, 0.520249963, 0.136250019, 0.358250022, 0.506250024, 0.670000017, 0.413999975, 0.0300000217, 0.252000034, 0.400000006, 0.330000013, 0.478000015, 0.699999928, 0.315999955, 0.0599999987, 0.223749995, 0.371749997, 0.59374994, 0.588500023, 0.584999979, 0.474999994, 0.471499979, 0.466250002, 0.688250065, 0.836250007, 1, 0.743999958, 0.360000044, 0.582000077, 0.730000019};  // [3, 4, 5]
// ---- colour on pattern(3, 4, 5) / pattern_u8(3, 4, 5) ----
const std::vector<double> grayscale = {0.378939003, 0.633762002, 0.410855025, 0.478929043, 0.733752072, 0.510845065, 0.578918993, 0.240871996, 0.308946013, 0.563769042, 0.340862006, 0.408935994, 0.663758993, 0.440852016, 0.508925974, 0.763749003, 0.540842056, 0.608916044, 0.270869017, 0.338943005};  // [1, 4, 5]
const std::vector<double> grayscale_u8 = {167, 54, 62, 99, 136, 173, 210, 170, 57, 65, 102, 139, 176, 213, 173, 60, 68, 105, 142, 179};  // [1, 4, 5]
const std::vector<double> brightness_1_3 = {0.142999992, 0.623999953, 1, 0.272999972, 0.753999949, 1, 0.402999997, 0.884000003, 0.0519999973, 0.532999992, 1, 0.181999996, 0.662999988, 1, 0.311999977, 0.792999983, 1, 0.442000002, 0.922999918, 0.0909999982, 0.571999967, 1, 0.221000001, 0.702000022, 1, 0.351000011, 0.831999958, 0, 0.480999976, 0.961999953, 0.129999995, 0.611000001, 1, 0.25999999, 0.740999937, 1, 0.390000015, 0.870999992, 0.0389999971, 0.519999981, 1, 0.168999985, 0.649999976, 1, 0.298999995, 0.780000031, 1, 0.42899999, 0.909999967, 0.0779999942, 0.559000015, 1, 0.207999989, 0.688999951, 1, 0.33799997, 0.818999946, 1, 0.467999995, 0.949000001};  // [3, 4, 5]
const std::vector<double> contrast_0_6 = {0.260524839, 0.482524872, 0.704524875, 0.320524842, 0.542524815, 0.764524817, 0.380524844, 0.602524877, 0.218524843, 0.440524846, 0.662524819, 0.278524846, 0.500524819, 0.722524822, 0.338524848, 0.560524881, 0.782524884, 0.398524851, 0.620524824, 0.23652485, 0.458524823, 0.680524886, 0.296524853, 0.518524885, 0.740524888, 0.356524855, 0.578524828, 0.19452484, 0.416524857, 0.63852489, 0.254524827, 0.47652483, 0.698524833, 0.314524829, 0.536524832, 0.758524835, 0.374524832, 0.596524894, 0.212524846, 0.434524834, 0.656524837, 0.272524834, 0.494524837, 0.716524839, 0.332524836, 0.554524839, 0.776524842, 0.392524838, 0.614524841, 0.230524838, 0.452524841, 0.674524844, 0.29052484, 0.512524843, 0.734524846, 0.350524843, 0.572524846, 0.794524848, 0.410524845, 0.632524848};  // [3, 4, 5]
const std::vector<double> contrast_1_8_one_channel = {0, 0.468799949, 1, 0, 0.648799896, 1, 0.162799954, 0.828799963, 0, 0.342799962, 1, 0, 0.522799969, 1, 0.0367999673, 0.702800035, 1, 0.216799974, 0.882799864, 0};  // [1, 4, 5]
const std::vector<double> saturation_1_7 = {0, 0.372366577, 1, 0.0217496753, 0.472373545, 1, 0.121756732, 0.987389624, 0, 0.302361697, 1, 0, 0.402368695, 1, 0.0517518222, 0.502375782, 1, 0.15175879, 1, 0, 0.482742727, 0.933366656, 0.00140148401, 0.582749724, 1, 0.101408482, 0.682756782, 0, 0.412737787, 0.863361716, 0, 0.512744844, 0.963368654, 0.0314036012, 0.612751842, 1, 0.131410629, 0.712758839, 0, 0.442739904, 1, 0, 0.562401533, 1, 0, 0.66240859, 1, 0.392389655, 0.973737836, 0, 0.492396593, 1, 0, 0.592403531, 1, 0, 0.692410588, 1, 0.422391742, 1};  // [3, 4, 5]
const std::vector<double> saturation_0_3 = {0.298257291, 0.587633431, 0.542598546, 0.398250312, 0.687626481, 0.642591536, 0.498243272, 0.37261039, 0.228262201, 0.517638326, 0.472603381, 0.328255177, 0.617631316, 0.572596431, 0.428248167, 0.717624307, 0.672589421, 0.528241217, 0.402608305, 0.258260101, 0.397257298, 0.686633408, 0.33859852, 0.497250319, 0.786626458, 0.43859154, 0.597243309, 0.168610394, 0.327262223, 0.616638362, 0.268603384, 0.427255183, 0.716631293, 0.368596405, 0.527248144, 0.816624284, 0.468589425, 0.627241254, 0.198608309, 0.357260108, 0.496257305, 0.482633412, 0.437598526, 0.596250296, 0.582626462, 0.537591577, 0.696243286, 0.267610401, 0.4262622, 0.412638336, 0.367603421, 0.52625519, 0.512631297, 0.467596412, 0.626248181, 0.612624288, 0.567589402, 0.726241231, 0.297608316, 0.456260115};  // [3, 4, 5]
const std::vector<double> contrast_u8_1_4 = {0, 16, 68, 119, 171, 223, 255, 0, 20, 72, 124, 175, 227, 255, 0, 24, 76, 128, 180, 231, 255, 0, 28, 80, 132, 184, 236, 255, 0, 33, 84, 136, 188, 240, 255, 0, 37, 89, 140, 192, 244, 255, 0, 41, 93, 145, 196, 248, 255, 0, 45, 97, 149, 201, 252, 255, 0, 49, 101, 153};  // [3, 4, 5]
const std::vector<double> saturation_u8_0_5 = {89, 51, 73, 110, 147, 184, 221, 92, 54, 76, 113, 150, 187, 224, 95, 57, 79, 116, 153, 190, 203, 37, 59, 96, 133, 170, 207, 206, 40, 62, 99, 136, 173, 210, 209, 43, 65, 102, 139, 176, 189, 151, 45, 82, 119, 156, 193, 192, 154, 48, 85, 122, 159, 196, 195, 157, 51, 88, 125, 162};  // [3, 4, 5]
const std::vector<double> blur_3x5_sigma_0_8_1_3 = {0.495276749, 0.494775325, 0.507552266, 0.406789839, 0.349766135, 0.531681657, 0.511958599, 0.510637224, 0.426385731, 0.363085121, 0.571432531, 0.517632723, 0.51974082, 0.493614376, 0.415971875, 0.608556211, 0.530194938, 0.518923461, 0.513210177, 0.429290742, 0.468106776, 0.467552304, 0.366789818, 0.438936561, 0.584395349, 0.465349615, 0.470637202, 0.386385679, 0.418178707, 0.529560864, 0.436946988, 0.479740858, 0.453614384, 0.393205613, 0.426727802, 0.425666481, 0.4789235, 0.473210245, 0.372447789, 0.371893317, 0.642387033, 0.579805195, 0.514775336, 0.527552307, 0.491318285, 0.627433479, 0.59236747, 0.53195858, 0.530637205, 0.510914147, 0.592753828, 0.598041475, 0.537632704, 0.53974086, 0.578142881, 0.585604727, 0.615224779, 0.55019486, 0.538923502, 0.597738743};  // [3, 4, 5]
const std::vector<double> blur_u8_3_sigma_1_1 = {137, 112, 86, 82, 97, 144, 129, 118, 103, 108, 146, 141, 147, 132, 132, 116, 131, 168, 164, 159, 157, 157, 121, 95, 69, 148, 153, 138, 127, 112, 118, 134, 150, 156, 151, 88, 103, 140, 177, 193, 192, 176, 166, 130, 125, 161, 156, 162, 147, 147, 121, 127, 143, 159, 165, 107, 107, 112, 149, 165};  // [3, 4, 5]
const std::vector<double> normalize = {-1.94999993, -0.100000054, 1.75000012, -1.45000005, 0.399999917, 2.25, -0.949999988, 0.900000036, -2.29999995, -0.450000018, 1.39999986, -1.80000007, 0.0499999523, 1.89999998, -1.29999995, 0.550000072, 2.4000001, -0.799999952, 1.04999983, -2.1500001, 0.159999967, 1.63999999, -0.920000017, 0.560000062, 2.03999996, -0.519999981, 0.959999919, -1.60000002, -0.120000005, 1.36000001, -1.20000005, 0.279999971, 1.75999987, -0.800000012, 0.679999948, 2.15999985, -0.399999976, 1.08000004, -1.48000002, 0, 1.56666648, -0.566666722, 0.666666627, 1.89999986, -0.233333349, 1, 2.23333335, 0.100000001, 1.33333325, -0.800000012, 0.433333308, 1.66666663, -0.466666698, 0.766666472, 1.99999976, -0.1333334, 1.0999999, 2.33333325, 0.200000003, 1.43333328};  // [3, 4, 5]
// ---- reprs ----
const char* const repr_hflip = "RandomHorizontalFlip(p=0.3)";
const char* const repr_vflip = "RandomVerticalFlip(p=0.5)";
const char* const repr_random_crop = "RandomCrop(size=(32, 32), padding=4)";
const char* const repr_random_crop_list = "RandomCrop(size=(3, 4), padding=[1, 2])";
const char* const repr_center_crop = "CenterCrop(size=(3, 4))";
const char* const repr_resize = "Resize(size=[4, 6], interpolation=bilinear, max_size=None, antialias=None)";
const char* const repr_resize_edge = "Resize(size=8, interpolation=bilinear, max_size=12, antialias=None)";
const char* const repr_random_resized_crop = "RandomResizedCrop(size=(32, 32), scale=(0.08, 1.0), ratio=(0.75, 1.3333), interpolation=bilinear), antialias=None)";
const char* const repr_color_jitter = "ColorJitter(brightness=[0.6, 1.4], contrast=None, saturation=[0.0, 2.5], hue=None)";
const char* const repr_grayscale = "Grayscale(num_output_channels=3)";
const char* const repr_random_grayscale = "RandomGrayscale(p=0.1)";
const char* const repr_gaussian_blur = "GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))";
const char* const repr_normalize = "Normalize(mean=[0.5, 0.25], std=[1.0, 2.0])";
const char* const repr_compose = "Compose(\n    RandomHorizontalFlip(p=0.5)\n    Normalize(mean=[0.5], std=[0.25])\n)";
const char* const repr_random_apply = "RandomApply(\n    p=0.25\n    RandomVerticalFlip(p=0.5)\n    Grayscale(num_output_channels=1)\n)";
}  // namespace reference

namespace {

Tensor pattern(int64_t c, int64_t h, int64_t w) {
  std::vector<double> values;
  for (int64_t k = 0; k < c * h * w; ++k) values.push_back(static_cast<double>((37 * k + 11) % 101) / 100.0);
  return from_vector(values, {c, h, w});
}
Tensor pattern_u8(int64_t c, int64_t h, int64_t w) {
  std::vector<double> values;
  for (int64_t k = 0; k < c * h * w; ++k) values.push_back(static_cast<double>((37 * k + 11) % 256));
  return from_vector(values, {c, h, w}, {.dtype = DType::u8});
}
Tensor index_image(int64_t c, int64_t h, int64_t w) { return arange(0.0, double(c * h * w), 1.0, {.dtype = DType::f32}).reshape({c, h, w}); }

std::vector<double> values_of(const Tensor& t) {
  const Tensor as_double = t.to(DType::f64).contiguous();
  const double* data = as_double.data_ptr<double>();
  return std::vector<double>(data, data + as_double.numel());
}

// Same shape and every value within `tolerance` (0: identical).
void check_values(const Tensor& actual, const Shape& shape, const std::vector<double>& expected,
                  double tolerance = 0.0) {
  REQUIRE(shape_str(actual.shape()) == shape_str(shape));
  const std::vector<double> values = values_of(actual);
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i);
    // The literals have 9 significant digits: rounded to float they are torch's f32 values exactly.
    CHECK(std::abs(values[i] - static_cast<double>(static_cast<float>(expected[i]))) <= tolerance);
  }
}
// Float results: within 2.5e-7 (1–2 float ulps for values in [0, 1]; measured max 1.2e-7): torch
// sums the same terms in another order (2-D vs separable blur kernel, vectorised luma and mean).
// normalize, the u8 results and every rearrangement are compared exactly.
constexpr double kFloatTolerance = 2.5e-7;

std::string error_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}
#define CHECK_ERROR(call, text) CHECK_MESSAGE(error_of([&] { (void)(call); }).find(text) != std::string::npos, error_of([&] { (void)(call); }))

// Counts of an outcome in n Bernoulli(p) trials must lie within 4σ of n·p.
void check_frequency(int64_t count, int64_t n, double p) {
  const double sigma = std::sqrt(n * p * (1 - p));
  INFO("count " << count << " of " << n << ", p = " << p);
  CHECK(std::abs(static_cast<double>(count) - n * p) <= 4 * sigma + 1e-9);
}

}  // namespace

TEST_CASE("flips and quarter turns rearrange pixels as torchvision / torch.rot90") {
  const Tensor image = index_image(2, 3, 4);
  check_values(hflip(image), {2, 3, 4}, reference::hflip_index);
  check_values(vflip(image), {2, 3, 4}, reference::vflip_index);
  check_values(rot90(image, 1), {2, 4, 3}, reference::rot90_index_1);
  check_values(rot90(image, 2), {2, 3, 4}, reference::rot90_index_2);
  check_values(rot90(image, 3), {2, 4, 3}, reference::rot90_index_3);
  check_values(rot90(image, -1), {2, 4, 3}, reference::rot90_index_minus1);
  CHECK(equal(rot90(image, 4), image));
  CHECK(equal(rot90(rot90(image, 1), 3), image));
  // u8 images are rearranged the same way.
  const Tensor bytes = index_image(2, 3, 4).to(DType::u8);
  CHECK(hflip(bytes).dtype() == DType::u8);
  check_values(hflip(bytes), {2, 3, 4}, reference::hflip_index);
  check_values(rot90(bytes, 1), {2, 4, 3}, reference::rot90_index_1);
}

TEST_CASE("pad: constant, edge, reflect and symmetric as F.pad") {
  const Tensor image = index_image(2, 3, 4);
  check_values(pad(image, {2, 1, 1, 2}, -1.0, PaddingMode::constant), {2, 6, 7}, reference::pad_constant_index);
  check_values(pad(image, {2, 1, 1, 2}, 0.0, PaddingMode::edge), {2, 6, 7}, reference::pad_edge_index);
  check_values(pad(image, {2, 1, 1, 2}, 0.0, PaddingMode::reflect), {2, 6, 7}, reference::pad_reflect_index);
  check_values(pad(image, {2, 1, 1, 2}, 0.0, PaddingMode::symmetric), {2, 6, 7}, reference::pad_symmetric_index);
  // {all} and {left/right, top/bottom} expand like torchvision's.
  CHECK(equal(pad(image, {1}), pad(image, {1, 1, 1, 1})));
  CHECK(equal(pad(image, {2, 1}), pad(image, {2, 1, 2, 1})));

  CHECK_ERROR(pad(image, {4, 0}, 0.0, PaddingMode::reflect), "reflect padding [4, 0] of an image [2, 3, 4] must be <");
  CHECK_ERROR(pad(image, {0, 4}, 0.0, PaddingMode::symmetric), "symmetric padding");
  CHECK_ERROR(pad(image, {1, 2, 3}), "padding must have 1, 2 or 4 values");
  CHECK_ERROR(pad(image, {-1}), "padding must be ≥ 0, got [-1]");
  CHECK_ERROR(pad(image.to(DType::u8), {1}, 300.0), "fill 300 is not a u8 value");
}

TEST_CASE("crop and center_crop as F.crop / F.center_crop") {
  const Tensor image = index_image(2, 3, 4);
  check_values(crop(image, 1, 1, 2, 3), {2, 2, 3}, reference::crop_inside_index);
  check_values(crop(image + 1.0, -1, 2, 3, 4), {2, 3, 4}, reference::crop_outside_index);  // zeros outside
  check_values(center_crop(image, {2, 3}), {2, 2, 3}, reference::center_crop_2x3_index);
  check_values(center_crop(image + 1.0, {5, 7}), {2, 5, 7}, reference::center_crop_5x7_index);
  CHECK(equal(center_crop(image, {3}), center_crop(image, {3, 3})));
  CHECK_ERROR(crop(image, 0, 0, 0, 2), "crop: the window 0 × 2 must be at least 1 × 1");
  CHECK_ERROR(center_crop(image, {2, 0}), "center_crop: size values must be ≥ 1, got [2, 0]");
  CHECK_ERROR(center_crop(image, {1, 2, 3}), "center_crop: size must have 1 value");
}

TEST_CASE("resize: bilinear, align_corners=False, antialias=False, as torchvision 0.14's tensor path") {
  const Tensor image = pattern(3, 4, 5);
  check_values(resize(image, {3, 7}), {3, 3, 7}, reference::resize_3x7, kFloatTolerance);
  check_values(resize(image, {7, 3}), {3, 7, 3}, reference::resize_7x3, kFloatTolerance);
  check_values(resize(image, {2}), {3, 2, 2}, reference::resize_smaller_edge_2, kFloatTolerance);
  check_values(resize(pattern_u8(3, 4, 5), {5, 6}), {3, 5, 6}, reference::resize_u8_5x6);  // rounded, exact
  check_values(resized_crop(image, 1, 2, 3, 3, {4, 5}), {3, 4, 5}, reference::resized_crop_1_2_3_3_to_4x5,
               kFloatTolerance);
  // Same size: the input itself; one value: the smaller edge (4×5 → 8×10; 5×4 → 10×8), max_size caps.
  CHECK(equal(resize(image, {4, 5}), image));
  CHECK(shape_str(resize(image, {8}).shape()) == "[3, 8, 10]");
  CHECK(shape_str(resize(pattern(1, 5, 4), {8}).shape()) == "[1, 10, 8]");
  CHECK(shape_str(resize(pattern(1, 4, 10), {8}, 12).shape()) == "[1, 4, 12]");  // ⌊12·8/20⌋ = 4
  // Constant images stay constant; upsampling 1×1 repeats the pixel.
  check_values(resize(full({1, 1, 1}, 0.25), {2, 3}), {1, 2, 3}, std::vector<double>(6, 0.25));

  CHECK_ERROR(resize(image, {4, 6}, 9), "max_size applies only when size gives the smaller edge");
  CHECK_ERROR(resize(image, {8}, 8), "max_size = 8 must be strictly greater than the requested smaller edge 8");
  CHECK_ERROR(resize(image, {0, 3}), "resize: size values must be ≥ 1");
  CHECK_ERROR(Resize({.size = {}}), "size must have 1 value (the smaller edge) or 2");
}

TEST_CASE("grayscale and the ColorJitter blends as torchvision's adjust_*") {
  const Tensor image = pattern(3, 4, 5);
  const Tensor bytes = pattern_u8(3, 4, 5);
  check_values(rgb_to_grayscale(image), {1, 4, 5}, reference::grayscale, kFloatTolerance);
  check_values(rgb_to_grayscale(bytes), {1, 4, 5}, reference::grayscale_u8);
  const Tensor gray3 = rgb_to_grayscale(image, 3);
  CHECK(shape_str(gray3.shape()) == "[3, 4, 5]");
  CHECK(equal(select(gray3, 0, 2), select(rgb_to_grayscale(image), 0, 0)));
  check_values(adjust_brightness(image, 1.3), {3, 4, 5}, reference::brightness_1_3, kFloatTolerance);
  check_values(adjust_contrast(image, 0.6), {3, 4, 5}, reference::contrast_0_6, kFloatTolerance);
  check_values(adjust_contrast(narrow(image, 0, 0, 1), 1.8), {1, 4, 5}, reference::contrast_1_8_one_channel,
               kFloatTolerance);
  check_values(adjust_saturation(image, 1.7), {3, 4, 5}, reference::saturation_1_7, kFloatTolerance);
  check_values(adjust_saturation(image, 0.3), {3, 4, 5}, reference::saturation_0_3, kFloatTolerance);
  check_values(adjust_contrast(bytes, 1.4), {3, 4, 5}, reference::contrast_u8_1_4);
  check_values(adjust_saturation(bytes, 0.5), {3, 4, 5}, reference::saturation_u8_0_5);
  // Factor 1 is the identity; saturation of one channel is the identity (as torchvision).
  CHECK(allclose(adjust_brightness(image, 1.0), image, 0.0, 0.0));
  CHECK(equal(adjust_saturation(narrow(image, 0, 0, 1), 0.2), narrow(image, 0, 0, 1).contiguous()));

  CHECK_ERROR(adjust_contrast(pattern(2, 4, 5), 0.5), "adjust_contrast: expected an image with 1 or 3 channels, got [2, 4, 5]");
  CHECK_ERROR(adjust_brightness(image, -0.1), "adjust_brightness: the factor must be ≥ 0, got -0.1");
  CHECK_ERROR(rgb_to_grayscale(image, 2), "num_output_channels must be 1 or 3, got 2");
}

TEST_CASE("gaussian_blur: separable kernel, reflect padding, as F.gaussian_blur") {
  check_values(gaussian_blur(pattern(3, 4, 5), {3, 5}, {0.8, 1.3}), {3, 4, 5}, reference::blur_3x5_sigma_0_8_1_3,
               kFloatTolerance);
  check_values(gaussian_blur(pattern_u8(3, 4, 5), {3}, {1.1}), {3, 4, 5}, reference::blur_u8_3_sigma_1_1);
  // A constant image stays constant; kernel size 1 is the identity.
  CHECK(allclose(gaussian_blur(full({1, 3, 3}, 0.5), {3}, {2.0}), full({1, 3, 3}, 0.5), 1e-6, 0.0));
  CHECK(allclose(gaussian_blur(pattern(1, 2, 2), {1}, {0.5}), pattern(1, 2, 2), 1e-6, 0.0));

  CHECK_ERROR(gaussian_blur(pattern(1, 4, 5), {4}, {1.0}), "kernel sizes must be odd and positive, got [4]");
  CHECK_ERROR(gaussian_blur(pattern(1, 4, 5), {3}, {0.0}), "sigma must be > 0, got [0.0]");
  CHECK_ERROR(gaussian_blur(pattern(1, 2, 5), {3, 5}, {1.0}), "needs reflect padding (1, 2) smaller than the image's width and height");
  CHECK_ERROR(GaussianBlur({.kernel_size = {3}, .sigma = {2.0, 1.0}}), "sigma must be (min, max) with 0 < min ≤ max");
}

TEST_CASE("normalize / Normalize as F.normalize") {
  const Tensor image = pattern(3, 4, 5);
  check_values(normalize(image, {0.5, 0.4, 0.3}, {0.2, 0.25, 0.3}), {3, 4, 5}, reference::normalize);  // exact
  Generator generator(1);
  CHECK(equal(Normalize({.mean = {0.5}, .std = {0.5}})(image, generator), normalize(image, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5})));
  CHECK(generator.offset() == 0);
  CHECK_ERROR(normalize(image, {0.5, 0.5}, {1.0}), "normalize: mean has 2 values for an image [3, 4, 5] (expected 1 or 3)");
  CHECK_ERROR(normalize(image, {0.5}, {0.0}), "std of channel 0 is 0 after rounding to float");
  CHECK_ERROR(normalize(pattern_u8(3, 4, 5), {0.5}, {1.0}), "normalize: expected an f32 image, got u8 [3, 4, 5]");
}

TEST_CASE("reprs print as torchvision's") {
  CHECK(RandomHorizontalFlip({.p = 0.3}).repr() == reference::repr_hflip);
  CHECK(RandomVerticalFlip().repr() == reference::repr_vflip);
  CHECK(RandomCrop({.size = {32}, .padding = {4}}).repr() == reference::repr_random_crop);
  CHECK(RandomCrop({.size = {3, 4}, .padding = {1, 2}}).repr() == reference::repr_random_crop_list);
  CHECK(CenterCrop({.size = {3, 4}}).repr() == reference::repr_center_crop);
  CHECK(Resize({.size = {4, 6}}).repr() == reference::repr_resize);
  CHECK(Resize({.size = {8}, .max_size = 12}).repr() == reference::repr_resize_edge);
  // torchvision 0.14 prints a stray ')' after "interpolation=bilinear" (a bug fixed later); we do not.
  std::string rrc = reference::repr_random_resized_crop;
  rrc.erase(rrc.find("bilinear)") + 8, 1);
  CHECK(RandomResizedCrop({.size = {32}}).repr() == rrc);
  CHECK(ColorJitter({.brightness = 0.4, .saturation = 1.5}).repr() == reference::repr_color_jitter);
  CHECK(Grayscale({.num_output_channels = 3}).repr() == reference::repr_grayscale);
  CHECK(RandomGrayscale().repr() == reference::repr_random_grayscale);
  CHECK(GaussianBlur({.kernel_size = {3}}).repr() == reference::repr_gaussian_blur);
  CHECK(Normalize({.mean = {0.5, 0.25}, .std = {1.0, 2.0}}).repr() == reference::repr_normalize);
  const Compose compose({std::make_shared<RandomHorizontalFlip>(), std::make_shared<Normalize>(Normalization{{0.5}, {0.25}})});
  CHECK(compose.repr() == reference::repr_compose);
  const RandomApply apply({std::make_shared<RandomVerticalFlip>(), std::make_shared<Grayscale>()}, 0.25);
  CHECK(apply.repr() == reference::repr_random_apply);
  // Ours (not in torchvision 0.14).
  CHECK(RandomRotation90({.k = {0, 2}}).repr() == "RandomRotation90(k=[0, 2])");
  CHECK(GaussianNoise().repr() == "GaussianNoise(mean=0.0, sigma=0.1, clip=True)");
}

TEST_CASE("random flips: frequency p within 4σ, one draw per call, p = 0 and 1 exact") {
  const Tensor image = index_image(1, 2, 3);
  const int64_t n = 4000;
  for (double p : {0.0, 0.3, 1.0}) {
    const RandomHorizontalFlip horizontal({.p = p});
    const RandomVerticalFlip vertical({.p = p});
    int64_t flipped_h = 0, flipped_v = 0;
    Generator generator(7);
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t before = generator.offset();
      const Tensor out = horizontal(image, generator);
      REQUIRE(generator.offset() == before + 1);
      if (equal(out, hflip(image))) ++flipped_h;
      else REQUIRE(equal(out, image));
      if (equal(vertical(image, generator), vflip(image))) ++flipped_v;
    }
    if (p == 0.0) CHECK((flipped_h == 0 && flipped_v == 0));
    if (p == 1.0) CHECK((flipped_h == n && flipped_v == n));
    check_frequency(flipped_h, n, p);
    check_frequency(flipped_v, n, p);
  }
  CHECK_ERROR(RandomHorizontalFlip({.p = 1.5}), "RandomHorizontalFlip: p must be a probability in [0, 1], got 1.5");
  CHECK_ERROR(RandomVerticalFlip({.p = -0.1}), "RandomVerticalFlip: p must be a probability in [0, 1]");
}

TEST_CASE("RandomRotation90: k uniform over the chosen set") {
  const Tensor image = index_image(1, 2, 3);
  const RandomRotation90 rotate;
  std::map<int64_t, int64_t> counts;
  Generator generator(3);
  const int64_t n = 4000;
  for (int64_t i = 0; i < n; ++i) {
    const Tensor out = rotate(image, generator);
    int64_t k = -1;
    for (int64_t turns = 0; turns < 4; ++turns)
      if (out.shape() == rot90(image, turns).shape() && equal(out, rot90(image, turns))) k = turns;
    REQUIRE(k >= 0);
    ++counts[k];
  }
  CHECK(generator.offset() == static_cast<uint64_t>(n));
  for (int64_t k = 0; k < 4; ++k) check_frequency(counts[k], n, 0.25);
  const RandomRotation90 half_turns({.k = {0, 2}});
  for (int i = 0; i < 50; ++i) CHECK(half_turns(image, generator).shape() == image.shape());
  CHECK_ERROR(RandomRotation90({.k = {}}), "RandomRotation90: the list of quarter turns k is empty");
}

TEST_CASE("RandomCrop: a window of the padded image at a uniform position, two draws") {
  const Tensor image = index_image(2, 3, 4) + 1.0;  // 0 marks the constant padding
  const RandomCrop random_crop({.size = {3, 4}, .padding = {1}});
  const Tensor padded = pad(image, {1});
  std::map<std::pair<int64_t, int64_t>, int64_t> positions;
  Generator generator(11);
  for (int i = 0; i < 900; ++i) {
    const Tensor out = random_crop(image, generator);
    REQUIRE(shape_str(out.shape()) == "[2, 3, 4]");
    bool found = false;
    for (int64_t top = 0; top <= 2; ++top)
      for (int64_t left = 0; left <= 2; ++left)
        if (!found && equal(out, crop(padded, top, left, 3, 4))) {
          ++positions[{top, left}];
          found = true;
        }
    REQUIRE(found);
  }
  CHECK(generator.offset() == 2 * 900);
  CHECK(positions.size() == 9);  // every (top, left) in {0, 1, 2}² occurs
  for (const auto& [position, count] : positions) check_frequency(count, 900, 1.0 / 9.0);
  // Reflect padding, pad_if_needed, a crop the size of the image (the image itself).
  Generator other(1);
  const Tensor reflected = RandomCrop({.size = {3, 4}, .padding = {1}, .padding_mode = PaddingMode::reflect})(image, other);
  const std::vector<double> reflected_values = values_of(reflected);
  CHECK(std::find(reflected_values.begin(), reflected_values.end(), 0.0) == reflected_values.end());  // no fill
  CHECK(shape_str(RandomCrop({.size = {5, 6}, .pad_if_needed = true})(image, other).shape()) == "[2, 5, 6]");
  CHECK(equal(RandomCrop({.size = {3, 4}})(image, other), image));
  CHECK_ERROR(RandomCrop({.size = {6, 4}, .padding = {1}})(image, other),
              "RandomCrop: the crop 6 × 4 is larger than the padded image 5 × 6 (input [2, 3, 4])");
  CHECK_ERROR(RandomCrop({.size = {2}, .padding = {1, 2, 3}}), "RandomCrop: padding must have 1, 2 or 4 values");
}

TEST_CASE("RandomResizedCrop: boxes within scale and ratio, torchvision's fallback, output = resized_crop(box)") {
  const RandomResizedCrop transform({.size = {4, 5}});
  Generator generator(5);
  const int64_t height = 40, width = 60;
  for (int i = 0; i < 2000; ++i) {
    const CropBox box = transform.get_params(height, width, generator);
    REQUIRE((box.top >= 0 && box.left >= 0 && box.top + box.height <= height && box.left + box.width <= width));
    REQUIRE((box.height >= 1 && box.width >= 1));
    // w·h ≈ s·H·W with s in [0.08, 1] and w / h ≈ r in [3/4, 4/3], up to rounding w and h to integers,
    // unless the 10 attempts failed and the fallback (the whole 40 × 60 image, narrowed to 4/3) came.
    const double w = double(box.width), h = double(box.height);
    if (box.width == 53 && box.height == 40) continue;  // the fallback
    CHECK((w - 0.5) * (h - 0.5) <= 1.0 * height * width);
    CHECK((w + 0.5) * (h + 0.5) >= 0.08 * height * width);
    CHECK((w - 0.5) / (h + 0.5) <= 4.0 / 3.0);
    CHECK((w + 0.5) / (h - 0.5) >= 3.0 / 4.0);
  }
  // An impossible scale makes all 10 attempts fail (20 draws): the fallback is deterministic —
  // the centred largest box with aspect in [ratio]: 40 × 60 has aspect 1.5 > 4/3 → w = round(40·4/3) = 53.
  const RandomResizedCrop impossible({.size = {4}, .scale = {2.0, 3.0}});
  Generator fresh(1);
  const CropBox fallback = impossible.get_params(height, width, fresh);
  CHECK(fresh.offset() == 20);
  CHECK((fallback.top == 0 && fallback.left == 3 && fallback.height == 40 && fallback.width == 53));
  // A tall image (aspect 0.25 < 3/4): h = round(10 / 0.75) = 13.
  const CropBox tall = impossible.get_params(40, 10, fresh);
  CHECK((tall.top == 13 && tall.left == 0 && tall.height == 13 && tall.width == 10));
  // The transform crops the box get_params draws and resizes it.
  const Tensor image = pattern(3, 12, 16);
  Generator a(9), b(9);
  const CropBox box = transform.get_params(12, 16, b);
  const Tensor expected = resized_crop(image, box.top, box.left, box.height, box.width, {4, 5});
  CHECK(equal(transform(image, a), expected));
  CHECK(a.offset() == b.offset());
  CHECK_ERROR(RandomResizedCrop({.size = {4}, .scale = {0.5, 0.2}}), "scale must be (min, max) with 0 ≤ min ≤ max");
  CHECK_ERROR(RandomResizedCrop({.size = {4}, .ratio = {0.0, 1.0}}), "ratio must be (min, max) with 0 < min ≤ max");
}

TEST_CASE("ColorJitter: factors in [max(0, 1 − v), 1 + v], every order, the blends applied in the drawn order") {
  const ColorJitter jitter({.brightness = 0.4, .contrast = 1.5, .saturation = 0.2});
  std::set<std::array<int, 3>> orders;
  Generator generator(2);
  for (int i = 0; i < 600; ++i) {
    const ColorJitterParams params = jitter.get_params(generator);
    orders.insert(params.order);
    REQUIRE((params.brightness && params.contrast && params.saturation));
    CHECK((*params.brightness >= 0.6 && *params.brightness <= 1.4));
    CHECK((*params.contrast >= 0.0 && *params.contrast <= 2.5));
    CHECK((*params.saturation >= 0.8 && *params.saturation <= 1.2));
  }
  CHECK(generator.offset() == 600 * 4);
  CHECK(orders.size() == 6);
  // The transform = the three adjust_* in the drawn order with the drawn factors.
  const Tensor image = pattern(3, 4, 5);
  for (uint64_t seed = 0; seed < 6; ++seed) {
    Generator a(seed), b(seed);
    const ColorJitterParams params = jitter.get_params(b);
    Tensor expected = image;
    for (int step : params.order) {
      if (step == 0) expected = adjust_brightness(expected, *params.brightness);
      if (step == 1) expected = adjust_contrast(expected, *params.contrast);
      if (step == 2) expected = adjust_saturation(expected, *params.saturation);
    }
    CHECK(equal(jitter(image, a), expected));
  }
  // Disabled factors draw nothing; the order is still drawn.
  Generator one(4);
  const ColorJitterParams brightness_only = ColorJitter({.brightness = 0.5}).get_params(one);
  CHECK((brightness_only.brightness && !brightness_only.contrast && !brightness_only.saturation));
  CHECK(one.offset() == 2);
  CHECK_ERROR(ColorJitter({.contrast = -1.0}), "ColorJitter: contrast must be ≥ 0, got -1");
}

TEST_CASE("GaussianBlur, RandomGrayscale and GaussianNoise draw as documented") {
  const Tensor image = pattern(3, 6, 7);
  const GaussianBlur blur({.kernel_size = {3, 5}, .sigma = {0.5, 1.5}});
  for (uint64_t seed = 0; seed < 5; ++seed) {
    Generator a(seed), b(seed);
    const double sigma = 0.5 + 1.0 * b.uniform();
    CHECK(equal(blur(image, a), gaussian_blur(image, {3, 5}, {sigma, sigma})));
    CHECK(a.offset() == 1);
  }
  int64_t grayed = 0;
  Generator generator(8);
  for (int i = 0; i < 2000; ++i) {
    const Tensor out = RandomGrayscale({.p = 0.2})(image, generator);
    REQUIRE(shape_str(out.shape()) == "[3, 6, 7]");
    if (equal(out, rgb_to_grayscale(image, 3))) ++grayed;
  }
  check_frequency(grayed, 2000, 0.2);

  // Noise: the differences have mean ≈ mean and std ≈ sigma (4 standard errors); clip keeps [0, 1].
  const Tensor flat = full({1, 100, 100}, 0.5);
  Generator noise_generator(3);
  const Tensor noisy = GaussianNoise({.mean = 0.01, .sigma = 0.05, .clip = false})(flat, noise_generator);
  CHECK(noise_generator.offset() == 5000);  // ⌈10 000 / 2⌉ blocks
  const Tensor difference = noisy - flat;
  CHECK(std::abs(mean(difference).item() - 0.01) < 4 * 0.05 / 100);
  CHECK(std::abs(fulcrum::std(difference).item() - 0.05) < 4 * 0.05 / std::sqrt(2.0 * 10000));
  const Tensor clipped = GaussianNoise({.sigma = 1.0})(flat, noise_generator);
  CHECK((min(clipped).item() == 0.0 && max(clipped).item() == 1.0));
  CHECK_ERROR(GaussianNoise()(pattern_u8(1, 2, 2), noise_generator), "GaussianNoise: expected an f32 image, got u8");
  CHECK_ERROR(GaussianNoise({.sigma = -1.0}), "GaussianNoise: needs a finite mean and sigma ≥ 0");
}

TEST_CASE("Compose and RandomApply: draws add up, the same seed gives the same example, another seed another") {
  auto augment = std::make_shared<Compose>(Compose::List{
      std::make_shared<RandomCrop>(RandomCropOptions{.size = {8}, .padding = {2}, .padding_mode = PaddingMode::reflect}),
      std::make_shared<RandomHorizontalFlip>(),
      std::make_shared<RandomApply>(Compose::List{std::make_shared<ColorJitter>(ColorJitterOptions{.brightness = 0.3})}, 0.8),
      std::make_shared<GaussianNoise>(GaussianNoiseOptions{.sigma = 0.02}),
      std::make_shared<Normalize>(Normalization{{0.5}, {0.25}})});
  const Tensor image = pattern(3, 8, 8);
  Generator a(42), b(42), c(43);
  const Tensor first = (*augment)(image, a);
  CHECK(shape_str(first.shape()) == "[3, 8, 8]");
  CHECK(equal(first, (*augment)(image, b)));
  CHECK(!equal(first, (*augment)(image, c)));
  // 2 (crop) + 1 (flip) + 1 (apply) [+ 2 jitter] + 96 (noise: 192 values).
  CHECK((a.offset() == 100 || a.offset() == 102));
  // Thread-safe in the sense that matters: a const transform, any number of calls, same answers.
  Generator again(42);
  CHECK(equal(first, (*augment)(image, again)));

  int64_t applied = 0;
  const RandomApply maybe_flip({std::make_shared<RandomHorizontalFlip>(RandomFlipOptions{.p = 1.0})}, 0.3);
  const Tensor small = index_image(1, 2, 3);
  Generator generator(6);
  for (int i = 0; i < 3000; ++i) applied += equal(maybe_flip(small, generator), hflip(small)) ? 1 : 0;
  check_frequency(applied, 3000, 0.3);
  CHECK_ERROR(Compose({nullptr}), "Compose: transform 0 is null");
  CHECK_ERROR(RandomApply({}, 2.0), "RandomApply: p must be a probability in [0, 1], got 2");
}

TEST_CASE("classes_below picks the minority classes from counts") {
  const std::vector<int64_t> counts = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};
  CHECK(classes_below(counts, 0.5) == std::vector<int64_t>{2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(classes_below(counts, 0.1) == std::vector<int64_t>{5, 6, 7, 8, 9});  // < 500
  CHECK(classes_below(counts, 1.0) == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(classes_below({10, 10, 10}, 1.0).empty());                          // balanced: none
  CHECK(classes_below({100, 50, 49}, 0.5) == std::vector<int64_t>{2});      // strictly below
  CHECK(classes_below({0, 4}, 0.5) == std::vector<int64_t>{0});
  CHECK_ERROR(classes_below({}, 0.5), "classes_below: counts is empty");
  CHECK_ERROR(classes_below({1, 2}, 0.0), "fraction_of_max must be in (0, 1], got 0");
  CHECK_ERROR(classes_below({1, -2}, 0.5), "counts[1] = -2 is negative");
}

TEST_CASE("every transform rejects a non-image with a message naming it") {
  Generator generator(0);
  const Tensor flat = pattern(1, 1, 12).reshape({12});
  const std::vector<std::shared_ptr<const Transform>> transforms = {
      std::make_shared<RandomHorizontalFlip>(), std::make_shared<RandomVerticalFlip>(),
      std::make_shared<RandomRotation90>(), std::make_shared<RandomCrop>(RandomCropOptions{.size = {1}}),
      std::make_shared<CenterCrop>(CenterCropOptions{.size = {1}}), std::make_shared<Resize>(ResizeOptions{.size = {2}}),
      std::make_shared<RandomResizedCrop>(RandomResizedCropOptions{.size = {2}}),
      std::make_shared<ColorJitter>(ColorJitterOptions{.brightness = 0.1}), std::make_shared<Grayscale>(),
      std::make_shared<RandomGrayscale>(), std::make_shared<GaussianBlur>(GaussianBlurOptions{.kernel_size = {1}}),
      std::make_shared<GaussianNoise>(), std::make_shared<Normalize>(Normalization{{0.0}, {1.0}})};
  for (const auto& transform : transforms) {
    INFO(transform->repr());
    const std::string message = error_of([&] { (*transform)(flat, generator); });
    CHECK(message.find("expected an image [C, H, W], got [12] (rank 1)") != std::string::npos);
    CHECK(error_of([&] { (*transform)(Tensor(), generator); }).find("undefined") != std::string::npos);
    CHECK(error_of([&] { (*transform)(pattern(1, 2, 2).to(DType::f64), generator); }).find("got f64 [1, 2, 2]") !=
          std::string::npos);
  }
  CHECK_ERROR(hflip(pattern(1, 0, 3)), "hflip: the image [1, 0, 3] is empty");
}
