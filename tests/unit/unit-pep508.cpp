// The PEP 508 reader of pip_packages and the conda spec rule of
// conda_packages: the forms, the refusals and their words. The reader's
// verdicts on a few hundred strings are compared with pypa/packaging's by
// tests/pep508.

#include <doctest/doctest.h>

#include <string>

#include <trainspec/detail/conda_match_spec.hpp>
#include <trainspec/detail/pep508.hpp>

using namespace trainspec::detail;

namespace {
requirement_verdict verdict_of(const std::string& text) { return read_requirement(text).verdict; }
}  // namespace

TEST_CASE("requirements: name, extras, version clauses, markers") {
    for (const char* good :
         {"a", "numpy", "Foo.Bar_baz-9", "horovod[tensorflow,keras]", "pkg [ a , b ] >= 1.0", "pkg>=1.0,<2",
          "pkg (>=1.0, !=1.5.*)", "pkg~=2.15.0", "pkg==1!2.0.post1.dev3+local.7", "pkg===any-thing",
          "pkg; python_version < '3.12' and (os_name == 'posix' or sys_platform != \"win32\")",
          "pkg[gpu]>=1; extra == 'gpu'", "pkg; platform.machine in 'x86_64 aarch64'", "pkg ; os_name not in 'nt'"}) {
        CAPTURE(good);
        CHECK(verdict_of(good) == requirement_verdict::requirement);
        CHECK_FALSE(pip_requirement_problem(good).has_value());
    }
}

TEST_CASE("requirements: pip options, URLs, paths and stray text are refused") {
    for (const char* bad : {"-r requirements.txt",
                            "--index-url http://127.0.0.1:9/simple",
                            "-e .",
                            "--pre",
                            "-",
                            "",
                            "pkg>=1.0.*",
                            "pkg~=1",
                            "pkg==1.0 1.0",
                            "pkg; os_name",
                            "pkg; os_name == 'a' or",
                            "pkg; unknown == 'a'",
                            "pkg[a b]",
                            "pkg(>=1",
                            "http://example.com/pkg.whl",
                            "./pkg",
                            "pkg #comment",
                            "pkg && id",
                            "pkg\n\n",
                            "pkg; os_name == 'a\nb'"}) {
        CAPTURE(bad);
        CHECK(verdict_of(bad) == requirement_verdict::malformed);
    }
    CHECK(*pip_requirement_problem("-r x") ==
          "must be a package requirement (PEP 508): name, extras, version, markers; pip options are not accepted");
    CHECK(*pip_requirement_problem("pkg -i http://x") ==
          "must be a package requirement (PEP 508): name, extras, version, markers; pip options are not accepted "
          "(it stops being one at character 5)");
}

TEST_CASE("requirements: direct references and marker escapes are refused by design") {
    CHECK(verdict_of("pkg @ https://example.com/pkg.whl") == requirement_verdict::direct_reference);
    CHECK(verdict_of("pkg[x]@file:///tmp/pkg.whl ; os_name == 'a'") == requirement_verdict::direct_reference);
    CHECK(*pip_requirement_problem("pkg @ http://x/y") ==
          "direct references are not accepted; put them in pip_requirements_file");
    CHECK(verdict_of("pkg; os_name == '\\x41'") == requirement_verdict::marker_escape);
}

TEST_CASE("requirements: pip's own reading (Python's \\s, IGNORECASE, a final line feed, int digits)") {
    CHECK(verdict_of("pkg==\xc2\xa0"
                     "1.0") == requirement_verdict::requirement);                    // U+00A0 is \s
    CHECK(verdict_of("pkg==1.0+\xe2\x84\xaa") == requirement_verdict::requirement);  // KELVIN SIGN folds to k
    CHECK(verdict_of("pkg\n") == requirement_verdict::requirement);                  // Python's $
    CHECK(verdict_of("pkg_") == requirement_verdict::requirement);                   // \b after '_'
    CHECK(verdict_of("pkg.") == requirement_verdict::malformed);
    CHECK(verdict_of("pkg==1." + std::string(4300, '0')) == requirement_verdict::requirement);
    CHECK(verdict_of("pkg==1." + std::string(4301, '0')) == requirement_verdict::malformed);
    CHECK(verdict_of("pkg===a" + std::string(5000, '0')) == requirement_verdict::requirement);
    CHECK(verdict_of("pkg;" + std::string(65, '(') + "os_name=='a'" + std::string(65, ')')) ==
          requirement_verdict::malformed);
}

TEST_CASE("conda specs: [channel::]name and a version, nothing conda would read otherwise") {
    for (const char* good :
         {"numpy", "numpy=1.26", "numpy==1.26.4=py311h64a7726_0", "numpy>=1.26,<2", "cudatoolkit 11.8.*",
          "python 3.11.* *_cpython", "conda-forge::numpy", "nvidia/linux-64::cuda-nvcc", "_openmp_mutex"}) {
        CAPTURE(good);
        CHECK_FALSE(conda_match_spec_problem(good).has_value());
    }
    for (const char* bad : {"-c", "--override-channels", "-cconda-forge", "https://x/pkg.conda", "/pkg.tar.bz2",
                            "numpy[build=py3*]", "numpy  1.2", "numpy\t1.2", "numpy 1.2 a b", "::numpy", "-x::numpy",
                            "numpy #x", "\"numpy\"", "numpy=1.2 --force"}) {
        CAPTURE(bad);
        REQUIRE(conda_match_spec_problem(bad).has_value());
        CHECK(conda_match_spec_problem(bad)->find("must be a conda package spec") == 0);
    }
}
