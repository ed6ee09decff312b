/**
 * Java: the build stage runs Maven or Gradle on the JDK image; the runtime stage is the JRE of the same
 * Java version (eclipse-temurin:<version>-jre) with the application jar and a `java -jar` start.
 */
import { resolvePath } from '../queries';
import { imageName } from '../stages';
import { copyFromBuild, isStartInstruction, otherWorkNote, stepsIn } from './common';
import { reviewNote, type Recipe, type SplitInput } from './types';

const defaultJavaVersion = '21';
const runtimeJar = '/app/app.jar';

export const javaRecipe: Recipe = {
  ecosystem: 'java',
  plan(input) {
    const build = input.steps.find((s) => s.kind === 'build');
    if (!build) return null;
    const { stage } = input;
    const version = javaVersion(imageName(stage.from), stage.from.tag ?? '');
    const alpine = /alpine/.test(stage.from.tag ?? '');
    const runtime = `eclipse-temurin:${version ?? defaultJavaVersion}-jre${alpine ? '-alpine' : ''}`;
    const buildDir = input.workdirAt(build.instruction);
    const namedJar = jarStarted(input);
    const gradle = build.command.packageOp?.manager === 'gradle';
    const jarGlob = resolvePath(buildDir, gradle ? 'build/libs/*.jar' : 'target/*.jar');

    return {
      summary: `Java: jar on ${runtime}`,
      runtimeImage: { text: runtime, expanded: runtime },
      runtimeHasShell: true,
      carriedInstructions: [],
      runtime(instruction) {
        // With the jar's path unknown, the runtime stage starts the jar it copies under a fixed name.
        if (isStartInstruction(instruction)) return namedJar ? undefined : [];
        if (instruction.keyword !== 'RUN' || stepsIn(input.steps, instruction).length === 0) return undefined;
        if (instruction !== build.instruction) return [];
        const notes = [
          ...otherWorkNote(instruction, (c) => stepsIn(input.steps, instruction).some((s) => s.command.index === c.index)),
          ...(version ? [] : [reviewNote(`Java ${defaultJavaVersion} is a guess: use the JRE of the version ${stage.from.raw} compiles for`)]),
          ...(namedJar || !gradle ? [] : [reviewNote('Gradle may also write a -plain.jar: name the jar to run if more than one matches')]),
        ];
        return [...notes, namedJar ? copyFromBuild(input, namedJar, namedJar) : copyFromBuild(input, jarGlob, runtimeJar)];
      },
      runtimeEnd() {
        return namedJar ? [] : [`ENTRYPOINT ["java", "-jar", "${runtimeJar}"]`];
      },
    };
  },
};

/** `maven:3.9-eclipse-temurin-21` → 21, `eclipse-temurin:17-jdk` → 17, `gradle:8.7-jdk17` → 17, `openjdk:11` → 11. */
function javaVersion(name: string, tag: string): string | null {
  const inTag = /(?:jdk|temurin|openjdk|corretto|java)-?(\d+)/i.exec(tag);
  if (inTag) return inTag[1];
  if (['eclipse-temurin', 'openjdk', 'amazoncorretto', 'sapmachine', 'ibm-semeru-runtimes'].includes(name)) return /^(\d+)/.exec(tag)?.[1] ?? null;
  return null;
}

/** The jar a `java … -jar <path>` CMD/ENTRYPOINT runs, when it names one file. */
function jarStarted(input: SplitInput): string | null {
  for (const start of input.start) {
    const jar = start.argv.indexOf('-jar');
    const path = jar >= 0 ? start.argv[jar + 1] : undefined;
    if (path && !/[*?[$]/.test(path)) return resolvePath(input.workdirAt(start.instruction), path);
  }
  return null;
}
