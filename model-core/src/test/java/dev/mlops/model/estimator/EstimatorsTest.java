package dev.mlops.model.estimator;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.TitanicData;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.model.preprocess.Preprocessor;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each model type on the published Titanic split (preprocessor fitted on every row, 80/20, seed 42: 178 test rows)
 * next to scikit-learn 1.2.1's figures for the same split and defaults, and the regressors on data with a known
 * relation.
 */
class EstimatorsTest {

    static final Map<String, Number> BOOSTING_DEFAULTS = Map.of("n_estimators", 100, "learning_rate", 0.1,
            "max_depth", 3, "subsample", 1.0, "min_samples_leaf", 1);

    record Titanic(double[][] xTrain, int[] yTrain, double[][] xTest, int[] yTest, List<String> classes,
                   Preprocessor preprocessor) {

        static Titanic load() {
            CsvTable raw = TitanicData.raw();
            Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
            TrainTestSplit split = TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42);
            double[][] x = preprocessor.transform(raw);
            List<String> labels = raw.column("Survived");
            List<String> classes = Labels.classLabels(labels);
            int[] y = Labels.encode(labels, classes);
            return new Titanic(rows(x, split.train()), pick(y, split.train()), rows(x, split.test()),
                    pick(y, split.test()), classes, preprocessor);
        }

        double accuracy(Classifier model) {
            return ClassificationMetrics.of(yTest, model.predict(xTest), classes).accuracy();
        }
    }

    @Test
    void gradientBoostingWithScikitLearnsDefaultsScoresAsScikitLearnOnTitanic() {
        Titanic titanic = Titanic.load();
        Classifier model = Estimators.fitClassifier("gradient_boosting", titanic.xTrain(), titanic.yTrain(),
                BOOSTING_DEFAULTS, 42);
        double accuracy = titanic.accuracy(model);
        System.out.printf("Titanic, gradient boosting (scikit-learn's defaults): test accuracy %.4f"
                + " (scikit-learn 1.2.1: 0.8090)%n", accuracy);
        assertThat(accuracy).isCloseTo(0.809, within(0.03));
        assertThat(model.hyperParameters()).containsEntry("learning_rate", "0.1").containsEntry("max_depth", "3");
    }

    @Test
    void logisticRegressionMapsCToSmilesLambdaAndFindsScikitLearnsCoefficients() {
        Titanic titanic = Titanic.load();
        LogisticRegressionClassifier model = (LogisticRegressionClassifier) Estimators.fitClassifier(
                "logistic_regression", titanic.xTrain(), titanic.yTrain(), Map.of("C", 0.5, "max_iter", 100), 42);
        // LogisticRegression(C=0.5).fit(...).coef_ on the same split: lambda = 1/C gives the same minimum
        double[] sklearn = {-0.49291544, 0.25373046, -0.45544577, -0.12244976, 0.88105669, 0.15118916,
                -1.03222448, 1.36110309, -1.36108172};
        double[] coefficients = ((LogisticRegression.Binomial) model.smileModel()).coefficients();
        System.out.println("Smile's coefficients for C=0.5: " + Arrays.toString(coefficients));
        for (int j = 0; j < sklearn.length; j++) {
            assertThat(coefficients[j]).as("coefficient %d", j).isCloseTo(sklearn[j], within(0.02));
        }
        double accuracy = titanic.accuracy(Estimators.fitClassifier("logistic_regression", titanic.xTrain(),
                titanic.yTrain(), Map.of("C", 1.0, "max_iter", 100), 42));
        System.out.printf("Titanic, logistic regression (C=1): test accuracy %.4f (scikit-learn 1.2.1: 0.7472)%n",
                accuracy);
        assertThat(accuracy).isCloseTo(0.7472, within(0.02));
    }

    @Test
    void regressorsLearnAKnownRelation() {
        // y = 3 x0 - 2 x1 + x2², noise sd 0.1: R² near 1 for both
        Random random = new Random(7);
        int n = 600;
        double[][] x = new double[n][3];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = random.nextDouble() * 2 - 1;
            }
            y[i] = 3 * x[i][0] - 2 * x[i][1] + x[i][2] * x[i][2] + random.nextGaussian() * 0.1;
        }
        double[][] xTrain = Arrays.copyOfRange(x, 0, 480);
        double[] yTrain = Arrays.copyOfRange(y, 0, 480);
        double[][] xTest = Arrays.copyOfRange(x, 480, n);
        double[] yTest = Arrays.copyOfRange(y, 480, n);
        Regressor boosting = Estimators.fitRegressor("gradient_boosting", xTrain, yTrain, BOOSTING_DEFAULTS, 42);
        Regressor forest = Estimators.fitRegressor("random_forest", xTrain, yTrain, Map.of("n_estimators", 100,
                "min_samples_split", 2, "min_samples_leaf", 1), 42);
        RegressionMetrics boosted = RegressionMetrics.of(yTest, boosting.predict(xTest));
        RegressionMetrics forested = RegressionMetrics.of(yTest, forest.predict(xTest));
        System.out.printf("known relation: gradient boosting R² %.4f RMSE %.4f, random forest R² %.4f RMSE %.4f%n",
                boosted.r2(), boosted.rmse(), forested.r2(), forested.rmse());
        assertThat(boosted.r2()).isGreaterThan(0.95);
        assertThat(forested.r2()).isGreaterThan(0.9);
        assertThat(boosted.mae()).isLessThan(boosted.rmse());
    }

    @Test
    void eachModelSurvivesTheBundleAndItsDeserialisationFilter() {
        Titanic titanic = Titanic.load();
        for (String type : List.of("random_forest", "gradient_boosting", "logistic_regression")) {
            Map<String, Number> params = switch (type) {
                case "random_forest" -> Map.of("n_estimators", 10, "min_samples_split", 2, "min_samples_leaf", 1);
                case "gradient_boosting" -> BOOSTING_DEFAULTS;
                default -> Map.of("C", 1.0, "max_iter", 100);
            };
            Classifier model = Estimators.fitClassifier(type, titanic.xTrain(), titanic.yTrain(), params, 42);
            ModelBundle bundle = ModelBundle.of(model, titanic.preprocessor(), "Survived", titanic.classes(), Map.of());
            ModelBundle loaded = ModelBundle.fromFiles(bundle.toFiles());
            assertThat(loaded.predict(titanic.xTest())).as(type).containsExactly(model.predict(titanic.xTest()));
            assertThat(loaded.metadata()).containsEntry("model_class", model.getClass().getName())
                    .containsEntry("task", "classification");
            assertThat(new String(bundle.toFiles().get(ModelBundle.MLMODEL_FILE)))
                    .contains("model_class: " + model.getClass().getName());
        }
        double[] fares = Arrays.stream(titanic.xTrain()).mapToDouble(row -> row[1]).toArray();
        Regressor regressor = Estimators.fitRegressor("gradient_boosting", titanic.xTrain(), fares, BOOSTING_DEFAULTS, 42);
        ModelBundle bundle = ModelBundle.of(regressor, titanic.preprocessor(), "Fare", List.of(), Map.of());
        ModelBundle loaded = ModelBundle.fromFiles(bundle.toFiles());
        assertThat(loaded.regression()).isTrue();
        assertThat(loaded.predictValues(titanic.xTest())).containsExactly(regressor.predict(titanic.xTest()));
        assertThat(loaded.metadata()).containsEntry("task", "regression");
        assertThat(new String(bundle.toFiles().get(ModelBundle.MLMODEL_FILE)))
                .contains("\"name\": \"Fare\", \"type\": \"double\"");
    }

    static double[][] rows(double[][] x, int[] indexes) {
        return Arrays.stream(indexes).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    static int[] pick(int[] y, int[] indexes) {
        return Arrays.stream(indexes).map(i -> y[i]).toArray();
    }
}
