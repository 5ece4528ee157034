#include <string>
#include <vector>
#include <utility>
struct Value { int kind; std::vector<Value> items; std::vector<std::pair<std::string, Value>> members; };
int main() { Value v{}; v.members.emplace_back("a", Value{}); return (int)v.members.size(); }
